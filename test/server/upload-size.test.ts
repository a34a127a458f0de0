import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

it('uploads larger than the JSON body limit (a 3 MB font) are accepted up to the upload limit', async () => {
  const font = Buffer.concat([Buffer.from('wOF2'), Buffer.alloc(3 * 1024 * 1024)]);
  const boundary = '----adsmithbig';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="brand.woff2"\r\ncontent-type: font/woff2\r\n\r\n`),
    font,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ mime_type: 'font/woff2', size: font.length });
});
