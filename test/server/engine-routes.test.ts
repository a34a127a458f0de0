import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { tempDir } from './helpers.js';

/** The routes the browser host of the engine loads from: documents, shipped fonts, server-decoded images. */
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let dataDir = '';
const TOKEN = 'engine-routes-token-0123456789';
const auth = { api_token: TOKEN };
beforeAll(async () => {
  dataDir = tempDir();
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 0, logger: false }));
  app = built.app;
  await app.ready();
  await ensureDefaultOrg(built.ctx.store, TOKEN);
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('documents for the browser engine', () => {
  it('public template and brand documents are readable in full, read-only, version 1', async () => {
    const t = await app.inject({ url: '/v1/ads/templates/1062/document', headers: auth });
    expect(t.statusCode).toBe(200);
    expect(t.json()).toMatchObject({ id: 1062, kind: 'template', version: 1, public: true, document: { id: '1062', requires_brand: true } });
    expect(t.json().document.scenes).toHaveLength(8);
    const b = await app.inject({ url: '/v1/ads/brands/121/document', headers: auth });
    expect(b.json()).toMatchObject({ id: 121, kind: 'brand', public: true, document: { name: 'Parity' } });
    expect((await app.inject({ url: '/v1/ads/templates/1062/document' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/ads/templates/999/document', headers: auth })).statusCode).toBe(404);
  });
});

describe('shipped fonts', () => {
  it('lists every family with its subset aliases, and serves each file long-cached', async () => {
    const res = await app.inject({ url: '/v1/engine/fonts' });
    expect(res.statusCode).toBe(200);
    const families = res.json().families as Array<{ family: string; aliases: Array<{ alias: string; faces: Array<{ weight: number; style: string; file: string }> }> }>;
    const inter = families.find((f) => f.family === 'Inter')!;
    expect(inter.aliases.map((a) => a.alias).slice(0, 2)).toEqual(['Inter', 'Inter [latin-ext]']);
    const face = inter.aliases[0]!.faces.find((f) => f.weight === 400 && f.style === 'normal')!;
    expect(face.file).toMatch(/^\/v1\/engine\/fonts\/[\d.]+\/inter-latin-400-normal\.woff2$/);
    const file = await app.inject({ url: face.file });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('font/woff2');
    expect(file.headers['cache-control']).toContain('immutable');
    expect(file.rawPayload.subarray(0, 4).toString('latin1')).toBe('wOF2');
    expect(families.map((f) => f.family)).toEqual(expect.arrayContaining(['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'Noto Sans SC', 'Noto Color Emoji']));
    const sc = families.find((f) => f.family === 'Noto Sans SC')!;
    expect((await app.inject({ url: sc.aliases[0]!.faces[0]!.file })).headers['content-type']).toBe('font/ttf');
  });

  it('an unknown or traversing file name is a 404 naming the list', async () => {
    for (const name of ['nope.woff2', '..%2F..%2Fpackage.json']) {
      const res = await app.inject({ url: `/v1/engine/fonts/1/${name}` });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toContain('GET /v1/engine/fonts');
    }
  });
});

describe('server-decoded images', () => {
  it('a public photo is its sharp decode as PNG, any size asked (raster)', async () => {
    const res = await app.inject({ url: '/v1/engine/images?src=asset:images/lifestyle.jpg&w=100&h=100' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-adsmith-image-kind']).toBe('raster');
    const meta = await sharp(res.rawPayload).metadata();
    const original = await sharp(fs.readFileSync(new URL('../../src/assets/images/lifestyle.jpg', import.meta.url))).metadata();
    expect([meta.width, meta.height]).toEqual([original.width, original.height]);
  });

  it('a public SVG logo is rasterized at the device size asked, contained', async () => {
    const res = await app.inject({ url: '/v1/engine/images?src=asset:brands/121/logo-on-light.svg&w=300&h=80' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-adsmith-image-kind']).toBe('vector');
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta.width! <= 300 && meta.height! <= 80).toBe(true);
    expect(meta.width === 300 || meta.height === 80).toBe(true);
  });

  it('bad queries say what to send; private sources need a token; a missing asset is a 422 naming it', async () => {
    const noSrc = await app.inject({ url: '/v1/engine/images?w=1&h=1' });
    expect(noSrc.statusCode).toBe(400);
    expect(noSrc.json().error.message).toContain('src is required');
    const badW = await app.inject({ url: '/v1/engine/images?src=asset:images/lifestyle.jpg&w=0&h=10' });
    expect(badW.statusCode).toBe(400);
    expect(badW.json().error.message).toMatch(/^w must be/);
    expect((await app.inject({ url: '/v1/engine/images?src=https://example.com/a.png&w=1&h=1' })).statusCode).toBe(401);
    const missing = await app.inject({ url: '/v1/engine/images?src=asset:images/none.png&w=1&h=1' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toContain('asset:images/none.png');
    const escape = await app.inject({ url: '/v1/engine/images?src=asset:../../package.json&w=1&h=1' });
    expect(escape.statusCode).toBe(422);
  });

  it("an uploaded file is decoded for its own organisation only", async () => {
    const png = await sharp({ create: { width: 4, height: 3, channels: 3, background: '#ff0000' } }).png().toBuffer();
    const boundary = 'xxBOUNDARYxx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="red.png"\r\ncontent-type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await app.inject({ method: 'POST', url: '/v1/files', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(201);
    const url = up.json().url as string;
    const res = await app.inject({ url: `/v1/engine/images?${new URLSearchParams({ src: url, w: '4', h: '3' })}`, headers: auth });
    expect(res.statusCode).toBe(200);
    const { data } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    const forged = await app.inject({ url: `/v1/engine/images?${new URLSearchParams({ src: `${url.slice(0, -4)}AAAA`, w: '4', h: '3' })}`, headers: auth });
    expect(forged.statusCode).toBe(422);
  });

  it('the editor session (x-adsmith-editor, from editor_iframe) reads its organisation\'s files; a tampered one is refused', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#00ff00' } }).png().toBuffer();
    const boundary = 'xxEDITORxx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="green.png"\r\ncontent-type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const url = (await app.inject({ method: 'POST', url: '/v1/files', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })).json().url as string;
    const gen = await app.inject({ method: 'POST', url: '/v1/ads/generate', headers: auth, payload: { template_id: '1061' } });
    expect([200, 202]).toContain(gen.statusCode);
    const link = new URL(gen.json().result[0].editor_iframe as string);
    const [, , job, scene] = link.pathname.split('/');
    const session = `${job}.${scene}.${link.searchParams.get('exp')}.${link.searchParams.get('sig')}`;
    const q = new URLSearchParams({ src: url, w: '2', h: '2' });
    const ok = await app.inject({ url: `/v1/engine/images?${q}`, headers: { 'x-adsmith-editor': session } });
    expect(ok.statusCode).toBe(200);
    const { data } = await sharp(ok.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0, 255, 0]);
    const tampered = `${session.slice(0, -1)}${session.endsWith('0') ? '1' : '0'}`;
    const refused = await app.inject({ url: `/v1/engine/images?${q}`, headers: { 'x-adsmith-editor': tampered } });
    expect(refused.statusCode).toBe(403);
  });

  it('font sources answer fonts only', async () => {
    const res = await app.inject({ url: '/v1/engine/font-sources?src=asset:images/lifestyle.jpg', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('not a font file');
  });
});
