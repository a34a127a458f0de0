import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_PNG, serveBytes, startRealServer } from './smart-image-helpers.js';

/**
 * The configured remote provider reaches both halves of the pipeline (the models
 * thread's cut-out and the render threads' frames), and its failure is recorded
 * on every scene while the offline path makes the ad. "Bria" here is a loopback
 * server that answers 500 to everything.
 */
let s: Awaited<ReturnType<typeof startRealServer>>;
let host: Awaited<ReturnType<typeof serveBytes>>;
let bria: http.Server;
let briaCalls: string[] = [];

beforeAll(async () => {
  bria = http.createServer((req, res) => {
    briaCalls.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down for maintenance"}');
  });
  await new Promise<void>((r) => bria.listen(0, '127.0.0.1', r));
  s = await startRealServer({
    env: {
      ADSMITH_SMART_IMAGE_PROVIDER: 'bria',
      ADSMITH_BRIA_BASE_URL: `http://127.0.0.1:${(bria.address() as AddressInfo).port}`,
      ADSMITH_BRIA_API_TOKEN: 'test-token-not-a-secret',
      ADSMITH_SMART_IMAGE_RETRIES: '0',
    },
  });
  host = await serveBytes({ '/product.png': { body: PRODUCT_PNG, type: 'image/png' } });
}, 120_000);
afterAll(async () => {
  await host?.close();
  await s?.close();
  bria?.closeAllConnections();
  await new Promise((r) => bria?.close(r));
});

describe('a remote smart-image provider that fails', () => {
  it('every scene is still made (offline), and records the cut-out and frame fallbacks', async () => {
    briaCalls = [];
    const res = await s.gen({ template_id: '1062', brand_id: '121', sync: true, smart_image: { input_image_url: host.url('/product.png'), scene: { operation: 'lifestyle_shot_by_text', input: 'white marble in soft morning light' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
    const status = await s.jobStatus(res.json().request_id);
    for (const r of status.result) {
      const w = r.warnings.join('\n');
      expect(w).toMatch(/smart image: lifestyle_shot_by_text "white marble in soft morning light"; cut-out by isnet, computed once for this request/);
      expect(w).toMatch(/smart image: bria remove_background failed \(.+\); the offline generator was used instead\./);
      expect(w).toMatch(/smart image: bria lifestyle_shot_by_text failed \(.+\); the offline generator was used instead\./);
    }
    // Asked once for the cut-out (models thread), then once per frame (render threads).
    expect(briaCalls.length).toBeGreaterThanOrEqual(1 + 8);
    for (const r of res.json().result) expect((await s.result(r.url)).rawPayload.length).toBeGreaterThan(1000);
  });
});
