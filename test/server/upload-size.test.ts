import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

it('uploads larger than the JSON body limit (a 10 MB font) are accepted up to the upload limit', async () => {
  // A real font: uploads are parsed as rendering will parse them (a tag followed by zeros is refused as corrupt).
  const require = createRequire(import.meta.url);
  const font = fs.readFileSync(path.join(path.dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json')), '400Regular', 'NotoSansSC_400Regular.ttf'));
  expect(font.length).toBeGreaterThan(t.ctx.config.bodyLimit);
  expect(font.length).toBeLessThan(t.ctx.config.uploadLimit);
  const boundary = '----adsmithbig';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="brand.ttf"\r\ncontent-type: font/ttf\r\n\r\n`),
    font,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  expect(res.statusCode).toBe(201);
  expect(res.json()).toMatchObject({ mime_type: 'font/ttf', size: font.length });
});
