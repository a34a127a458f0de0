import { afterEach, describe, expect, it } from 'vitest';
import { BriaProvider } from '../../src/smart-image/remote/bria.js';
import { ProviderError } from '../../src/smart-image/remote/errors.js';
import { encodePng, newImage } from '../../src/smart-image/image.js';
import { DEFAULT_REMOTE_LIMITS, type RemoteLimits } from '../../src/smart-image/factory.js';
import type { RawImage } from '../../src/smart-image/types.js';
import { fakeServer, sendBytes, sendJson, type FakeServer, type Recorded } from './helpers/fake-server.js';

const TOKEN = 'bria-secret-token-1234';
const limits: RemoteLimits = { ...DEFAULT_REMOTE_LIMITS, timeoutMs: 2000, retries: 2, backoffMs: 10, maxTotalMs: 5000, allowLoopback: true, cooldownMs: 0 };

/** A 40×30 photo: grey, with a red block (the "subject") at x 10–29, y 5–24. */
function photo(): RawImage {
  const img = newImage(40, 30, [128, 128, 128, 255]);
  for (let y = 5; y < 25; y++) for (let x = 10; x < 30; x++) img.data.set([200, 30, 30, 255], (y * 40 + x) * 4);
  return img;
}
/** What Bria's remove_background answers: the photo with the background transparent. */
async function cutPng(): Promise<Buffer> {
  const img = photo();
  for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) if (!(y >= 5 && y < 25 && x >= 10 && x < 30)) img.data[(y * 40 + x) * 4 + 3] = 0;
  return encodePng(img);
}
const solid = (w: number, h: number, rgb: [number, number, number]) => encodePng(newImage(w, h, [...rgb, 255]));

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const provider = (extra: Partial<RemoteLimits> = {}, base = server!.base) => new BriaProvider({ baseUrl: base, apiToken: TOKEN, limits: { ...limits, ...extra }, pollIntervalMs: 20 });
const paths = () => server!.requests.map((r) => `${r.method} ${r.path}`);
const json = (r: Recorded) => JSON.parse(r.body.toString()) as Record<string, unknown>;

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('Bria provider against a local server speaking its protocol', () => {
  it('remove_background: submits, polls the status URL until COMPLETED, downloads the PNG and answers its alpha as the matte', async () => {
    const cut = await cutPng();
    let polls = 0;
    server = await fakeServer((req, res, base) => {
      if (req.path === '/v2/image/edit/remove_background') return sendJson(res, 202, { request_id: 'r1', status_url: `${base}/v2/status/r1` });
      if (req.path === '/v2/status/r1') return sendJson(res, 200, ++polls < 3 ? { status: 'IN_PROGRESS', request_id: 'r1' } : { status: 'COMPLETED', result: { image_url: `${base}/out/r1.png` } });
      if (req.path === '/out/r1.png') return sendBytes(res, cut);
      sendJson(res, 404, { error: { code: 404, message: 'no route' } });
    });
    const img = photo();
    const alpha = (await provider().removeBackground(img, await encodePng(img)))!;
    expect(alpha).toHaveLength(40 * 30);
    expect(alpha[15 * 40 + 20]).toBe(255);
    expect(alpha[2 * 40 + 2]).toBe(0);
    expect(paths()).toEqual(['POST /v2/image/edit/remove_background', 'GET /v2/status/r1', 'GET /v2/status/r1', 'GET /v2/status/r1', 'GET /out/r1.png']);
    const submit = server.requests[0]!;
    expect(submit.headers['api_token']).toBe(TOKEN);
    expect(submit.headers['content-type']).toBe('application/json');
    expect(json(submit)).toMatchObject({ sync: false });
    expect(Buffer.from(json(submit).image as string, 'base64').subarray(1, 4).toString()).toBe('PNG');
    // Every status poll carries the token too; the result download does not.
    expect(server.requests.slice(1, 4).every((r) => r.headers['api_token'] === TOKEN)).toBe(true);
    expect(server.requests[4]!.headers['api_token']).toBeUndefined();
  });

  it('expand: a 500 is retried, then the synchronous answer is used; the request carries canvas, size, location and seed', async () => {
    let n = 0;
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v2/image/edit/expand') return ++n === 1 ? sendJson(res, 500, { error: { code: 500, message: 'busy' } }) : sendJson(res, 200, { result: { image_url: `${base}/out/e.png` }, request_id: 'e1' });
      if (req.path === '/out/e.png') return sendBytes(res, await solid(160, 90, [10, 200, 10]));
    });
    const out = (await provider().expand(photo(), { width: 160, height: 90 }, { x: 60.4, y: 30, width: 40, height: 30 }, 7))!;
    expect([out.width, out.height]).toEqual([160, 90]);
    expect([...out.data.subarray(0, 4)]).toEqual([10, 200, 10, 255]);
    expect(paths()).toEqual(['POST /v2/image/edit/expand', 'POST /v2/image/edit/expand', 'GET /out/e.png']);
    expect(json(server.requests[1]!)).toMatchObject({ canvas_size: [160, 90], original_image_size: [40, 30], original_image_location: [60, 30], seed: 7, sync: false });
  });

  it('a 429 with Retry-After is waited out and retried', async () => {
    let n = 0;
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v2/image/edit/expand') return ++n === 1 ? sendJson(res, 429, { error: { code: 429, message: 'slow down' } }, { 'retry-after': '0' }) : sendJson(res, 202, { request_id: 'q', status_url: `${base}/v2/status/q` });
      if (req.path === '/v2/status/q') return sendJson(res, 200, { status: 'COMPLETED', result: { image_url: `${base}/o.png` } });
      return sendBytes(res, await solid(16, 9, [1, 2, 3]));
    });
    const out = (await provider().expand(photo(), { width: 32, height: 18 }, { x: 0, y: 0, width: 16, height: 12 }, 1))!;
    expect(out.width).toBe(32); // resized to the frame when the answer is smaller
    expect(paths()[0]).toBe('POST /v2/image/edit/expand');
    expect(paths()[1]).toBe('POST /v2/image/edit/expand');
  });

  it('lifestyle_shot_by_text: v1 synchronous call with custom_coordinates placement, the result URL downloaded', async () => {
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v1/product/lifestyle_shot_by_text') return sendJson(res, 200, { result: [[`${base}/o/l.png`, '4242', 'l.png']] });
      return sendBytes(res, await solid(200, 100, [240, 220, 200]));
    });
    const subject = photo();
    for (let i = 3; i < subject.data.length; i += 4) subject.data[i] = 0;
    for (let y = 5; y < 25; y++) for (let x = 10; x < 30; x++) subject.data[(y * 40 + x) * 4 + 3] = 255;
    const out = (await provider().lifestyleShot(subject, 'marble counter, morning light', { width: 200, height: 100 }, 3, { x: 50, y: 10, width: 80, height: 60 }))!;
    expect([out.width, out.height]).toEqual([200, 100]);
    const body = json(server.requests[0]!);
    expect(body).toMatchObject({ scene_description: 'marble counter, morning light', placement_type: 'custom_coordinates', shot_size: [200, 100], num_results: 1, sync: true });
    // The subject box (10..29 × 5..24, plus a 2-px margin) scaled ×2 and moved to (50, 10).
    expect(body.foreground_image_location).toEqual([50 + 8 * 2, 10 + 3 * 2]);
    expect(body.foreground_image_size).toEqual([24 * 2, 24 * 2]);
    expect(typeof body.file).toBe('string');
  });

  it('an auth failure is not retried and names the variable, never the token (even when the server echoes it)', async () => {
    server = await fakeServer((req, res) => sendJson(res, 401, { error: { code: 401, message: `invalid api_token ${String(req.headers['api_token'])}` } }));
    const e = await failure(provider().expand(photo(), { width: 80, height: 60 }, { x: 20, y: 15, width: 40, height: 30 }, 1));
    expect(e.kind).toBe('auth');
    expect(e.message).toMatch(/HTTP 401/);
    expect(e.message).toMatch(/ADSMITH_BRIA_API_TOKEN/);
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).toContain('[redacted]');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['a COMPLETED status without result.image_url', { status: 'COMPLETED', result: {} }, /result\.image_url/],
    ['an unknown status', { status: 'DONE' }, /unknown status "DONE"/],
    ['an ERROR status', { status: 'ERROR', error: { code: 1, message: 'pipeline exploded' } }, /status ERROR: pipeline exploded/],
  ])('%s fails with a reason naming it', async (_name, status, reason) => {
    server = await fakeServer((req, res, base) => (req.path.startsWith('/v2/status') ? sendJson(res, 200, status) : sendJson(res, 202, { request_id: 'm', status_url: `${base}/v2/status/m` })));
    const e = await failure(provider().expand(photo(), { width: 80, height: 60 }, { x: 20, y: 15, width: 40, height: 30 }, 1));
    expect(e.message).toMatch(reason);
  });

  it('a body that is not JSON, a submit without request_id and a result that is not an image are malformed answers', async () => {
    server = await fakeServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>gateway</html>');
    });
    const a = await failure(provider().expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect([a.kind, a.message]).toEqual(['malformed', expect.stringMatching(/not JSON \(<html>gateway<\/html>\)/)]);
    await server.close();
    server = await fakeServer((req, res) => sendJson(res, 202, { accepted: true }));
    const b = await failure(provider().expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect(b.message).toMatch(/without result\.image_url or request_id/);
    await server.close();
    server = await fakeServer((req, res, base) => (req.path.startsWith('/v2') ? sendJson(res, 200, { result: { image_url: `${base}/x` } }) : sendBytes(res, Buffer.from('plain text, not a picture'), 'image/png')));
    const c = await failure(provider().expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect([c.kind, c.message]).toEqual(['malformed', expect.stringMatching(/not a raster image/)]);
  });

  it('a server that never answers times out per attempt, is retried, then fails with the time in the reason', async () => {
    server = await fakeServer(() => undefined); // hold every request open
    const e = await failure(provider({ timeoutMs: 150, retries: 1 }).expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect(e.kind).toBe('timeout');
    expect(e.message).toBe('expand timed out after 150 ms (2 attempts)');
    expect(server.requests).toHaveLength(2);
  });

  it('a job still IN_PROGRESS when the total time runs out fails as a timeout', async () => {
    server = await fakeServer((req, res, base) => (req.path.startsWith('/v2/status') ? sendJson(res, 200, { status: 'IN_PROGRESS' }) : sendJson(res, 202, { request_id: 's', status_url: `${base}/v2/status/s` })));
    const e = await failure(provider({ maxTotalMs: 400 }).expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect(e.kind).toBe('timeout');
    expect(e.message).toMatch(/still in progress when the 400 ms limit ran out/);
  });

  it('a status_url on another origin is not followed (the token would go with it): the documented path on the base is polled', async () => {
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v2/image/edit/expand') return sendJson(res, 202, { request_id: 'id/9', status_url: 'http://collector.invalid/steal' });
      if (req.path === '/v2/status/id%2F9') return sendJson(res, 200, { status: 'COMPLETED', result: { image_url: `${base}/o.png` } });
      return sendBytes(res, await solid(80, 60, [9, 9, 9]));
    });
    await provider().expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1);
    expect(paths()).toEqual(['POST /v2/image/edit/expand', 'GET /v2/status/id%2F9', 'GET /o.png']);
  });

  it('result URLs: loopback is refused unless allowed, other schemes are refused, and the byte limit holds', async () => {
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v2/image/edit/expand') return sendJson(res, 200, { result: { image_url: `${base}/big.png` } });
      if (req.path === '/v2/image/edit/remove_background') return sendJson(res, 200, { result: { image_url: 'file:///etc/passwd' } });
      return sendBytes(res, await solid(400, 300, [5, 5, 5]));
    });
    const refused = await failure(provider({ allowLoopback: false }).expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect([refused.kind, refused.message]).toEqual(['refused', expect.stringMatching(/result image at 127\.0\.0\.1:\d+ points to a loopback address/)]);
    const scheme = await failure(provider().removeBackground(photo(), await encodePng(photo())));
    expect([scheme.kind, scheme.message]).toEqual(['refused', expect.stringMatching(/uses file; only http and https/)]);
    const big = await failure(provider({ maxResultBytes: 1024 }).expand(photo(), { width: 80, height: 60 }, { x: 0, y: 0, width: 40, height: 30 }, 1));
    expect([big.kind, big.message]).toEqual(['too_large', expect.stringMatching(/larger than the limit of 1024 bytes/)]);
  });
});
