import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

/** A multipart body the parser cannot frame is the client's mistake: 400 naming what the parser saw, never a 500 (found by the fuzzer). */
let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({ workers: 0 });
});
afterAll(async () => {
  await t.close();
});

const b = 'bnd';
const part = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nnot really a png\r\n`;
const cases: Array<[string, string, string, RegExp]> = [
  ['a boundary other than the one in the body', 'multipart/form-data; boundary=another', `${part}--${b}--\r\n`, /Unexpected end of multipart data/],
  ['no boundary in the Content-Type', 'multipart/form-data', `${part}--${b}--\r\n`, /Boundary not found/],
  ['no closing boundary', `multipart/form-data; boundary=${b}`, part, /Unexpected end of multipart data/],
  ['a body cut inside a part header', `multipart/form-data; boundary=${b}`, part.slice(0, 30), /Unexpected end of multipart data/],
];

describe('POST /v1/files with a malformed multipart body', () => {
  for (const [what, type, payload, reason] of cases) {
    it(`${what}: 400 ADS_UPLOAD_MALFORMED`, async () => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, 'content-type': type }, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ADS_UPLOAD_MALFORMED');
      expect(res.json().error.message).toMatch(reason);
      expect(res.json().error.message).toMatch(/part named "file"/);
    });
  }

  it('a well-framed body still reaches the file checks', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, 'content-type': `multipart/form-data; boundary=${b}` }, payload: `${part}--${b}--\r\n` });
    expect(res.statusCode).toBe(415);
  });
});

/** A part the parser skips, larger than its stream's buffer and ending in the same chunk, once hung the request (found by the fuzzer). */
describe('POST /v1/files with a large part the parser skips', () => {
  const big = 'A'.repeat(40_000);
  const bodies: Array<[string, string]> = [
    ['a part without Content-Disposition', `--${b}\r\nContent-Type: image/png\r\n\r\n${big}\r\n--${b}--\r\n`],
    ['a field, then a part without Content-Disposition', `--${b}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${b}\r\nContent-Type: image/png\r\n\r\n${big}\r\n--${b}--\r\n`],
  ];
  for (const [what, payload] of bodies) {
    it(`${what}: answered (400 ADS_UPLOAD_MISSING), not left hanging`, async () => {
      const answer = t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, 'content-type': `multipart/form-data; boundary=${b}` }, payload });
      const res = await Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      expect(res, 'no answer within 5 s').not.toBeNull();
      expect(res!.statusCode).toBe(400);
      expect(res!.json().error.code).toBe('ADS_UPLOAD_MISSING');
    });
  }
});
