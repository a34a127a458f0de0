import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode, PRODUCT_PNG, serveBytes, startRealServer } from './smart-image-helpers.js';

/**
 * A self-hosted Stable Diffusion server as the smart-image provider, end to end: the real
 * server (models thread cut-out, render threads' frames) talks to a loopback server that
 * speaks the WebUI's /sdapi/v1/img2img with --api-auth. While it works, every scene's frame
 * is its painting around our subject; when it answers 500, every scene is still made offline
 * and says why. The credentials never reach the job record.
 */
const AUTH = 'adsmith:sd-webui-test-password';
const MAGENTA = [200, 40, 160] as const;
let s: Awaited<ReturnType<typeof startRealServer>>;
let host: Awaited<ReturnType<typeof serveBytes>>;
let webui: http.Server;
let down = false;
const calls: Array<{ path: string; auth: string | undefined; width: number; height: number; mask: string }> = [];

/** img2img as the WebUI does it, minus the diffusion: the init image, painted magenta where the mask is white. */
async function paint(body: { init_images: string[]; mask: string }): Promise<string> {
  const raw = (b64: string) => sharp(Buffer.from(b64.replace(/^data:[^,]*,/, ''), 'base64')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const init = await raw(body.init_images[0]!);
  const mask = await raw(body.mask);
  const out = Buffer.from(init.data);
  for (let i = 0; i < out.length; i += 4) if (mask.data[i]! > 127) out.set([...MAGENTA, 255], i);
  return (await sharp(out, { raw: { width: init.info.width, height: init.info.height, channels: 4 } }).png().toBuffer()).toString('base64');
}

beforeAll(async () => {
  webui = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Basic ${Buffer.from(AUTH).toString('base64')}`) return send(401, { detail: 'Incorrect username or password' });
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { width: number; height: number; init_images: string[]; mask: string };
        calls.push({ path: req.url ?? '', auth: req.headers.authorization, width: body.width, height: body.height, mask: body.mask });
        if (down) return send(500, { error: 'OutOfMemoryError', detail: '', body: '', errors: `CUDA out of memory (${AUTH})` });
        send(200, { images: [await paint(body)], parameters: {}, info: '{}' });
      })().catch((e: unknown) => res.writeHead(599).end(String(e)));
    });
  });
  await new Promise<void>((r) => webui.listen(0, '127.0.0.1', r));
  s = await startRealServer({
    env: {
      ADSMITH_SMART_IMAGE_PROVIDER: 'sdwebui',
      ADSMITH_SDWEBUI_BASE_URL: `http://127.0.0.1:${(webui.address() as AddressInfo).port}`,
      ADSMITH_SDWEBUI_AUTH: AUTH,
      ADSMITH_SDWEBUI_SIZE: '512',
      ADSMITH_SMART_IMAGE_RETRIES: '0',
    },
  });
  host = await serveBytes({ '/product.png': { body: PRODUCT_PNG, type: 'image/png' } });
}, 120_000);
afterAll(async () => {
  await host?.close();
  await s?.close();
  webui?.closeAllConnections();
  await new Promise((r) => webui?.close(r));
});

async function generate() {
  const res = await s.gen({ template_id: '1062', brand_id: '121', sync: true, smart_image: { input_image_url: host.url('/product.png'), scene: { operation: 'lifestyle_shot_by_text', input: 'white marble in soft morning light' } } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('COMPLETED');
  const status = await s.jobStatus(res.json().request_id);
  const scenes = await Promise.all(res.json().result.map(async (r: { url: string }) => (await s.result(r.url)).rawPayload as Buffer));
  return { status, scenes };
}

describe('an SD WebUI server as the smart-image provider', () => {
  it('paints every scene’s backdrop around the subject (img2img, Basic auth, sizes multiples of 8); the job says who made each frame', async () => {
    calls.length = 0;
    down = false;
    const { status, scenes } = await generate();
    // Once per scene frame; the cut-out stays ISNet (the WebUI's API has none).
    expect(calls.length).toBeGreaterThanOrEqual(8);
    for (const c of calls) {
      expect(c.path).toBe('/sdapi/v1/img2img');
      expect([c.width % 8, c.height % 8]).toEqual([0, 0]);
      expect(c.width * c.height).toBeLessThanOrEqual(512 * 512 * 1.15);
      // The subject is masked black (kept), the rest white (painted).
      const { data, info } = await sharp(Buffer.from(c.mask.replace(/^data:[^,]*,/, ''), 'base64')).greyscale().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([c.width, c.height]);
      const kept = data.filter((v) => v === 0).length / data.length;
      expect(kept, `${c.width}×${c.height}`).toBeGreaterThan(0.02);
      expect(kept).toBeLessThan(0.6);
    }
    for (const [i, r] of status.result.entries()) {
      const w = r.warnings.join('\n');
      expect(w).toMatch(/cut-out by isnet/);
      expect(w).toMatch(/smart image: frame of ".+" made by sdwebui\./);
      expect(w).not.toMatch(/failed/);
      // The painting (a colour no template has) is in the ad, around the product.
      const img = await decode(scenes[i]!);
      let magenta = 0;
      for (let k = 0; k < img.data.length; k += 3) if ([0, 1, 2].every((c) => Math.abs(img.data[k + c]! - MAGENTA[c]!) <= 6)) magenta++;
      expect(magenta / (img.width * img.height), `scene ${i + 1} painted`).toBeGreaterThan(0.04);
    }
  });

  it('a failing server (HTTP 500): every scene is still made offline, each records the fallback, and the credentials never show', async () => {
    calls.length = 0;
    down = true;
    const { status, scenes } = await generate();
    expect(calls.length).toBeGreaterThanOrEqual(8); // a 500 is not a cool-down failure: each frame asks once (no retries configured)
    for (const r of status.result) {
      const w = r.warnings.join('\n');
      expect(w).toMatch(/smart image: sdwebui lifestyle_shot_by_text failed \(lifestyle_shot_by_text answered HTTP 500: OutOfMemoryError: CUDA out of memory \(\[redacted\]\)\); the offline generator was used instead\./);
      expect(w).not.toMatch(/made by sdwebui/);
    }
    expect(JSON.stringify(status)).not.toContain('sd-webui-test-password');
    for (const bytes of scenes) expect(bytes.length).toBeGreaterThan(1000);
  });
});
