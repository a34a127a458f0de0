import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { sniff } from '../../src/net/sniff.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { expectContract, tempDir, validateEveryContractResponse } from './helpers.js';

/** The server with the real engine, the bundled public assets and the real render worker threads. */
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let dataDir = '';
const TOKEN = 'real-engine-token-0123456789';
beforeAll(async () => {
  dataDir = tempDir();
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 2, logger: false, allowPrivateUrls: true }));
  app = built.app;
  await app.ready();
  validateEveryContractResponse(app);
  await ensureDefaultOrg(built.ctx.store, TOKEN);
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const gen = (body: object) => app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: TOKEN }, payload: body });

describe('with the real engine', () => {
  it('1062 + brand 167: every scene URL answers a PNG of the announced resolution', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', sync: true, elements: [{ layer_type: 'text', content_type: 'Heading #1', content: 'Summer sale' }] });
    expect(res.statusCode).toBe(200);
    expectContract('/ads/generate', 'post', res);
    const body = res.json();
    expect(body.status).toBe('COMPLETED');
    expect(body.result).toHaveLength(8);
    for (const r of body.result) {
      const img = await app.inject(new URL(r.url).pathname);
      expect(img.statusCode).toBe(200);
      const s = sniff(img.rawPayload);
      expect(s).toMatchObject({ type: 'png', width: r.resolution.width, height: r.resolution.height });
      // The render thread wrote the file and hashed its ETag (issue 15): the hash of exactly what is served.
      expect(img.headers['etag']).toBe(`"${createHash('sha256').update(img.rawPayload).digest('hex').slice(0, 32)}"`);
    }
  });

  it('output_format jpeg and scale 2', async () => {
    const res = await gen({ template_id: '1061', sync: true, output_format: 'jpeg', scale: 2 });
    const r = res.json().result[0];
    expect(r.url).toMatch(/\.jpg$/);
    const img = await app.inject(new URL(r.url).pathname);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(sniff(img.rawPayload)).toMatchObject({ type: 'jpeg', width: r.resolution.width, height: r.resolution.height });
    const tpl = (await app.inject({ url: '/v1/ads/templates/1061', headers: { api_token: TOKEN } })).json();
    expect(r.resolution.width).toBe(tpl.scene_resolutions.scene_1.width * 2);
  });

  it('public templates by id match the contract', async () => {
    for (const id of ['1061', '1062']) {
      const res = await app.inject({ url: `/v1/ads/templates/${id}`, headers: { api_token: TOKEN } });
      expect(res.statusCode).toBe(200);
      expectContract('/ads/templates/{template_id}', 'get', res);
    }
  });

  it('the engine\'s request checks answer 400s naming the field', async () => {
    const noBrand = await gen({ template_id: '1062' });
    expect(noBrand.statusCode).toBe(400);
    expect(noBrand.json().error.message).toMatch(/brand_id/);
    const slot = await gen({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Heading #5', content: 'x' }] });
    expect(slot.statusCode).toBe(400);
    expect(slot.json().error.message).toMatch(/elements\[0\]\.content_type "Heading #5"/);
    const id = await gen({ template_id: '1061', elements: [{ id: 'no-such-element', content: 'x' }] });
    expect(id.statusCode).toBe(400);
    expect(id.json().error.message).toMatch(/elements\[0\]\.id "no-such-element"/);
  });

  it('an uploaded file works as image and smart-image content (read from the blob store, no network)', async () => {
    const png = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
    const boundary = '----adsmithreal';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="product.png"\r\ncontent-type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: TOKEN, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(201);
    const url = up.json().url as string;
    const res = await gen({
      template_id: '1062',
      brand_id: '121',
      sync: true,
      smart_image: { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#f4efe6' } },
      elements: [{ layer_type: 'image', content_type: 'Image #1', content: url }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
    const status = (await app.inject({ url: `/v1/jobs/${res.json().request_id}`, headers: { api_token: TOKEN } })).json();
    expect(status.result[0].warnings.join(' ')).toMatch(/smart image: lifestyle_shot_by_text "#f4efe6"; cut-out by isnet/);
  });

  it('an input URL is fetched once, when the job is accepted; rendering uses the saved bytes', async () => {
    const png = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      if (hits > 1) return void res.writeHead(404).end();
      res.end(png);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.png`;
    try {
      const res = await gen({ template_id: '1062', brand_id: '166', sync: true, elements: [{ layer_type: 'image', content_type: 'Image #1', content: url }] });
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('COMPLETED');
      expect(hits).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
