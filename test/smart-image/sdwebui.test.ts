import { afterEach, describe, expect, it } from 'vitest';
import { createSmartImageService, DEFAULT_REMOTE_LIMITS, smartImageConfigFromEnv, SmartImageConfigError, type RemoteLimits } from '../../src/smart-image/factory.js';
import { decodeImage, encodePng, newImage } from '../../src/smart-image/image.js';
import { resolvePlacement } from '../../src/smart-image/placement.js';
import { ProviderError } from '../../src/smart-image/remote/errors.js';
import { sdCanvas, SdWebUiProvider, type SdWebUiSettings } from '../../src/smart-image/remote/sdwebui.js';
import type { SmartImageEvent } from '../../src/smart-image/service.js';
import type { RawImage } from '../../src/smart-image/types.js';
import { makeProductPhoto } from '../fixtures/smart-image/synth.js';
import { fakeServer, sendJson, type FakeServer, type Recorded } from './helpers/fake-server.js';

/**
 * The SD WebUI / Forge provider against a loopback server speaking the WebUI's API
 * (/sdapi/v1/img2img and /sdapi/v1/txt2img, base64 PNGs in JSON): what it sends
 * (sizes, mask, fields, Basic auth), what it makes of the answer, and how it fails.
 */
const AUTH = 'painter:hunter2-sd-secret';
const PASSWORD = 'hunter2-sd-secret';
const limits: RemoteLimits = { ...DEFAULT_REMOTE_LIMITS, timeoutMs: 3000, retries: 2, backoffMs: 10, maxTotalMs: 10_000, allowLoopback: false, cooldownMs: 0 };
const GREEN: [number, number, number, number] = [0, 255, 0, 255];

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const provider = (settings: Partial<SdWebUiSettings> = {}, extra: Partial<RemoteLimits> = {}, auth: string | null = AUTH) =>
  new SdWebUiProvider({ baseUrl: `${server!.base}/`, ...(auth ? { auth } : {}), limits: { ...limits, ...extra }, settings: { size: 512, ...settings } });

/** A 128×96 photo: a red/blue ramp, so any misplacement or resampling shows. */
function photo(): RawImage {
  const img = newImage(128, 96);
  for (let y = 0; y < 96; y++) for (let x = 0; x < 128; x++) img.data.set([x * 2, 90, 255 - y * 2, 255], (y * 128 + x) * 4);
  return img;
}
const px = (img: RawImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];
const body = (r: Recorded) => JSON.parse(r.body.toString()) as Record<string, unknown>;
const decodeB64 = (s: unknown) => decodeImage(new Uint8Array(Buffer.from(String(s).replace(/^data:[^,]*,/, ''), 'base64')), 'test');
const b64 = async (img: RawImage) => (await encodePng(img)).toString('base64');

/** What the WebUI answers for img2img: the init image, painted green where the mask is white, at `scale` × the requested size. */
async function paintMasked(req: Recorded, scale = 1): Promise<string> {
  const b = body(req);
  const init = await decodeB64((b.init_images as string[])[0]);
  const mask = await decodeB64(b.mask);
  const out = newImage(init.width * scale, init.height * scale);
  for (let y = 0; y < out.height; y++)
    for (let x = 0; x < out.width; x++) {
      const s = (Math.floor(y / scale) * init.width + Math.floor(x / scale)) * 4;
      out.data.set(mask.data[s]! > 127 ? GREEN : init.data.subarray(s, s + 4), (y * out.width + x) * 4);
    }
  return b64(out);
}
const webui = (paint: (req: Recorded) => Promise<string>) => fakeServer(async (req, res) => sendJson(res, 200, { images: [await paint(req)], parameters: {}, info: '{}' }));

/** The bounding box of the mask's black pixels and how many there are. */
function blackBox(mask: RawImage) {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1, n = 0;
  for (let y = 0; y < mask.height; y++)
    for (let x = 0; x < mask.width; x++) {
      const v = mask.data[(y * mask.width + x) * 4]!;
      expect(v === 0 || v === 255, `mask is black or white at ${x},${y}`).toBe(true);
      if (v === 0) {
        n++;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1, n };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as ProviderError;
}

describe('canvas sizes', () => {
  it('are multiples of 8 (or 64), about size² pixels, the long side at most 2·size, keeping the frame aspect', () => {
    for (const [w, h] of [[1920, 1080], [728, 90], [300, 170], [160, 600], [1080, 1080], [90, 728]] as const)
      for (const multiple of [8, 64]) {
        const c = sdCanvas({ width: w, height: h }, 1024, multiple);
        expect([c.width % multiple, c.height % multiple], `${w}×${h} /${multiple}`).toEqual([0, 0]);
        expect(Math.max(c.width, c.height)).toBeLessThanOrEqual(2048);
        expect(c.width * c.height).toBeLessThanOrEqual(1024 * 1024 * 1.15);
        if (multiple === 8) expect(Math.abs(Math.log(c.width / c.height / (w / h)))).toBeLessThan(0.04);
      }
    expect(sdCanvas({ width: 1920, height: 1080 }, 1024, 8)).toMatchObject({ width: 1368, height: 768 });
    expect(sdCanvas({ width: 512, height: 512 }, 512, 8)).toMatchObject({ width: 512, height: 512, sx: 1, sy: 1 });
  });
});

describe('SD WebUI provider against a local server speaking its API', () => {
  it('expand: img2img with the photo in an edge-extended canvas, the mask white exactly where new pixels are; the photo comes back exact', async () => {
    server = await webui((req) => paintMasked(req));
    const rect = { x: 192, y: 160, width: 128, height: 96 };
    const out = (await provider({ steps: 12, cfgScale: 6.5, sampler: 'DPM++ 2M', model: 'sdxl_base.safetensors' }).expand(photo(), { width: 512, height: 512 }, rect, 42))!;
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /sdapi/v1/img2img']);
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(AUTH).toString('base64')}`);
    expect(req.headers['content-type']).toBe('application/json');
    const b = body(req);
    expect(b).toMatchObject({
      width: 512,
      height: 512,
      steps: 12,
      cfg_scale: 6.5,
      sampler_name: 'DPM++ 2M',
      seed: 42,
      inpainting_fill: 1,
      inpaint_full_res: false,
      inpainting_mask_invert: 0,
      resize_mode: 0,
      include_init_images: false,
      override_settings: { sd_model_checkpoint: 'sdxl_base.safetensors' },
      override_settings_restore_afterwards: true,
    });
    expect(b.denoising_strength).toBeGreaterThan(0);
    expect(b.mask_blur).toBeGreaterThanOrEqual(0);
    expect(String(b.prompt)).toMatch(/continuation/);
    expect(String((b.init_images as string[])[0])).toMatch(/^data:image\/png;base64,/);
    const init = await decodeB64((b.init_images as string[])[0]);
    const mask = await decodeB64(b.mask);
    expect([init.width, init.height, mask.width, mask.height]).toEqual([512, 512, 512, 512]);
    // Black exactly on the photo, white on every new pixel.
    expect(blackBox(mask)).toEqual({ ...rect, n: 128 * 96 });
    // The canvas holds the photo, and around it the nearest photo pixel (colours to continue from).
    expect(px(init, 192 + 5, 160 + 7)).toEqual(px(photo(), 5, 7));
    expect(px(init, 0, 0)).toEqual(px(photo(), 0, 0));
    expect(px(init, 511, 300)).toEqual(px(photo(), 127, 95));
    expect(px(init, 250, 20)).toEqual(px(photo(), 58, 0));
    // The answer: painted around, our photo inside, pixel for pixel.
    expect([out.width, out.height]).toEqual([512, 512]);
    expect(px(out, 10, 10)).toEqual(GREEN);
    expect(px(out, 191, 200)).toEqual(GREEN);
    for (const [x, y] of [[0, 0], [127, 95], [64, 40]] as const) expect(px(out, 192 + x, 160 + y)).toEqual(px(photo(), x, y));
  });

  it('expand into a frame that is no multiple of 8: the request is rounded (8 or 64), the mask follows the photo, the answer is fitted back to the frame', async () => {
    for (const sizeMultiple of [8, 64]) {
      // This server paints at twice the requested size (a hires pass); the provider scales it back.
      server = await webui((req) => paintMasked(req, 2));
      const frame = { width: 300, height: 170 };
      const rect = { x: 100.4, y: 37, width: 110, height: 82.5 };
      const out = (await provider({ sizeMultiple }).expand(photo(), frame, rect, 1))!;
      const b = body(server.requests[0]!);
      const w = b.width as number, h = b.height as number;
      expect([w % sizeMultiple, h % sizeMultiple, w > 300, h > 170]).toEqual([0, 0, true, true]);
      const mask = await decodeB64(b.mask);
      expect([mask.width, mask.height]).toEqual([w, h]);
      const black = blackBox(mask);
      expect(black.n, 'the black pixels form one rectangle').toBe(black.width * black.height);
      const sx = w / frame.width, sy = h / frame.height;
      expect(Math.abs(black.x / sx - rect.x)).toBeLessThanOrEqual(1 / sx + 0.01);
      expect(Math.abs(black.y / sy - rect.y)).toBeLessThanOrEqual(1 / sy + 0.01);
      expect(Math.abs((black.x + black.width) / sx - (rect.x + rect.width))).toBeLessThanOrEqual(1 / sx + 0.01);
      expect(Math.abs((black.y + black.height) / sy - (rect.y + rect.height))).toBeLessThanOrEqual(1 / sy + 0.01);
      expect([out.width, out.height]).toEqual([300, 170]);
      expect(px(out, 3, 3)).toEqual(GREEN);
      expect(px(out, 296, 166)).toEqual(GREEN);
      await server.close();
      server = undefined;
    }
  });

  it('lifestyle (inpaint): img2img with the subject masked black over a neutral canvas, the scene painted from latent noise, the subject exact', async () => {
    server = await webui((req) => paintMasked(req));
    // The subject: a disc of the photo, transparent around it.
    const subject = photo();
    for (let y = 0; y < 96; y++) for (let x = 0; x < 128; x++) if ((x - 64) ** 2 + (y - 48) ** 2 > 30 ** 2) subject.data[(y * 128 + x) * 4 + 3] = 0;
    const place = { x: 100, y: 300, width: 128, height: 96 };
    const out = (await provider().lifestyleShot(subject, 'white marble counter, morning light', { width: 512, height: 512 }, 9, place))!;
    expect(server.requests.map((r) => r.path)).toEqual(['/sdapi/v1/img2img']);
    const b = body(server.requests[0]!);
    expect(b).toMatchObject({ width: 512, height: 512, seed: 9, inpainting_fill: 2, denoising_strength: 1, include_init_images: false });
    expect(String(b.prompt)).toMatch(/^white marble counter, morning light, /);
    expect(b).not.toHaveProperty('override_settings');
    expect(b).not.toHaveProperty('sampler_name');
    const mask = await decodeB64(b.mask);
    const init = await decodeB64((b.init_images as string[])[0]);
    // Black exactly where the subject is opaque (the disc), white everywhere else.
    for (const [x, y] of [[64, 48], [64 - 29, 48], [64, 48 + 29]] as const) expect(mask.data[((300 + y) * 512 + 100 + x) * 4], `${x},${y}`).toBe(0);
    for (const [x, y] of [[64 - 31, 48], [0, 0], [127, 95]] as const) expect(mask.data[((300 + y) * 512 + 100 + x) * 4], `${x},${y}`).toBe(255);
    expect(blackBox(mask).n).toBeGreaterThan(Math.PI * 29 ** 2);
    expect(blackBox(mask).n).toBeLessThan(Math.PI * 31 ** 2);
    expect(px(init, 5, 5)).toEqual([128, 128, 128, 255]);
    // Painted around the subject; the subject's own pixels are ours.
    expect(px(out, 5, 5)).toEqual(GREEN);
    expect(px(out, 100 + 64 - 35, 300 + 48)).toEqual(GREEN);
    for (const [x, y] of [[64, 48], [50, 40], [80, 60]] as const) expect(px(out, 100 + x, 300 + y)).toEqual(px(photo(), x, y));
  });

  it('lifestyle (txt2img): the backdrop painted alone from the prompt, the subject placed on it exact', async () => {
    server = await webui(() => b64(newImage(520, 520, [200, 120, 40, 255])));
    const subject = photo();
    for (let y = 0; y < 96; y++) for (let x = 0; x < 128; x++) if (x < 32 || x >= 96) subject.data[(y * 128 + x) * 4 + 3] = 0;
    const out = (await provider({ lifestyle: 'txt2img' }).lifestyleShot(subject, 'sunset beach', { width: 512, height: 512 }, 3, { x: 0, y: 100, width: 256, height: 192 }))!;
    expect(server.requests.map((r) => r.path)).toEqual(['/sdapi/v1/txt2img']);
    const b = body(server.requests[0]!);
    expect(b).toMatchObject({ width: 512, height: 512, seed: 3, steps: 25, cfg_scale: 7 });
    expect(String(b.prompt)).toMatch(/^sunset beach, /);
    expect(b).not.toHaveProperty('init_images');
    expect(b).not.toHaveProperty('mask');
    expect(px(out, 500, 10)).toEqual([200, 120, 40, 255]);
    // The subject at scale 2 (place width 256 for a 128-wide picture): its middle column, colour kept.
    const p = px(out, 128, 100 + 96);
    expect(Math.abs(p[0]! - 64 * 2)).toBeLessThanOrEqual(4);
    expect(Math.abs(p[2]! - (255 - 48 * 2))).toBeLessThanOrEqual(4);
  });

  it('a 503 is retried and then succeeds; a 4xx is not retried and names what the server said', async () => {
    let n = 0;
    server = await fakeServer(async (req, res) => (++n === 1 ? sendJson(res, 503, { detail: 'model is loading' }) : sendJson(res, 200, { images: [await paintMasked(req)] })));
    await provider().expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1);
    expect(server.requests).toHaveLength(2);
    await server.close();
    server = await fakeServer((req, res) => sendJson(res, 422, { detail: [{ loc: ['body', 'steps'], msg: 'value is not a valid integer', type: 'type_error.integer' }] }));
    const e = await failure(provider().expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect([e.kind, server.requests.length]).toEqual(['status', 1]);
    expect(e.message).toBe('expand answered HTTP 422: body.steps: value is not a valid integer');
    await server.close();
    // The WebUI's own error shape: { error, detail, body, errors }.
    server = await fakeServer((req, res) => sendJson(res, 404, { error: 'HTTPException', detail: 'Sampler not found', body: '', errors: '404: Sampler not found' }));
    const s = await failure(provider({ sampler: 'Nope' }).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect([s.kind, server.requests.length, s.message]).toEqual(['status', 1, 'expand answered HTTP 404: HTTPException: Sampler not found']);
  });

  it('a 401 from --api-auth is not retried, names ADSMITH_SDWEBUI_AUTH, and never echoes the credentials', async () => {
    server = await fakeServer((req, res) =>
      sendJson(res, 401, { detail: `Incorrect username or password: ${String(req.headers.authorization)} (${Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString()}) ${PASSWORD}` }),
    );
    const e = await failure(provider().lifestyleShot(photo(), 'a kitchen', { width: 256, height: 256 }, 1));
    expect([e.kind, server.requests.length]).toEqual(['auth', 1]);
    expect(e.message).toMatch(/^lifestyle_shot_by_text refused the credentials \(HTTP 401: Incorrect username or password: Basic \[redacted\] \(\[redacted\]\) \[redacted\]\); check ADSMITH_SDWEBUI_AUTH$/);
    for (const secret of [AUTH, PASSWORD, Buffer.from(AUTH).toString('base64')]) expect(e.message).not.toContain(secret);
    await server.close();
    // Without credentials configured, no Authorization header is sent; a server that wants them says which variable to set.
    server = await fakeServer(async (req, res) => (req.headers.authorization ? sendJson(res, 500, {}) : sendJson(res, 401, { detail: 'Not authenticated' })));
    const n = await failure(provider({}, {}, null).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect([n.kind, n.message]).toEqual(['auth', 'expand refused a request without credentials (HTTP 401: Not authenticated); check ADSMITH_SDWEBUI_AUTH']);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('a server that never answers times out per attempt, is retried, and gives up with the time in the reason', async () => {
    server = await fakeServer(() => undefined);
    const t = Date.now();
    const e = await failure(provider({}, { timeoutMs: 200, retries: 1 }).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect(e.kind).toBe('timeout');
    expect(e.message).toBe('expand timed out after 200 ms (2 attempts)');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it('the operation’s total deadline bounds the retries of a server that keeps answering 503', async () => {
    server = await fakeServer((req, res) => sendJson(res, 503, { detail: 'queue full' }));
    const t = Date.now();
    const e = await failure(provider({}, { retries: 10, backoffMs: 400, maxTotalMs: 1000 }).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect(e.kind).toBe('status');
    expect(e.message).toMatch(/^expand answered HTTP 503: queue full \(\d attempts\); no time left to retry$/);
    expect(server.requests.length).toBeLessThan(5);
    expect(Date.now() - t).toBeLessThan(1500);
  });

  it.each([
    ['no images', { parameters: {}, info: '' }, 'malformed', /answered without images\[0\]/],
    ['images[0] that is not base64', { images: ['%% nope %%'] }, 'malformed', /images\[0\] is not base64/],
    ['images[0] of text', { images: [Buffer.from('hello world').toString('base64')] }, 'malformed', /not a raster image/],
    ['an image larger than the byte limit', { images: ['A'.repeat(8000)] }, 'too_large', /images\[0\] is 6000 bytes, more than the limit of 4096/],
  ])('a malformed answer (%s) fails with a reason naming it, without retrying', async (_n, answer, kind, reason) => {
    server = await fakeServer((req, res) => sendJson(res, 200, answer));
    const e = await failure(provider({}, { maxResultBytes: 4096 }).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(reason);
    expect(server.requests).toHaveLength(1);
  });

  it('an answer larger than the JSON limit is cut off as too large', async () => {
    server = await fakeServer((req, res) => sendJson(res, 200, { images: ['A'.repeat(200_000)] }));
    const e = await failure(provider({}, { maxResultBytes: 4096 }).expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect(e.kind).toBe('too_large');
  });

  it('an answer of another aspect than asked is refused rather than stretched', async () => {
    server = await webui(() => b64(newImage(512, 256, GREEN)));
    const e = await failure(provider().expand(photo(), { width: 256, height: 256 }, { x: 64, y: 64, width: 128, height: 96 }, 1));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/answered 512×256 for a 512×512 request/);
  });
});

describe('SD WebUI configured from the environment, through the service', () => {
  const { photo: product } = makeProductPhoto(128, 'mug', 'gradient');
  const frame = { width: 256, height: 144, placement: resolvePlacement({}) };

  it('reads its settings, with defaults; rejects bad values naming the variable', () => {
    const d = smartImageConfigFromEnv({ ADSMITH_SMART_IMAGE_PROVIDER: 'sdwebui' });
    expect(d.sdwebui).toEqual({ baseUrl: 'http://127.0.0.1:7860', settings: { steps: 25, cfgScale: 7, size: 1024, sizeMultiple: 8, lifestyle: 'inpaint' } });
    const c = smartImageConfigFromEnv({
      ADSMITH_SMART_IMAGE_PROVIDER: 'SDWebUI',
      ADSMITH_SDWEBUI_BASE_URL: 'http://gpu-box:7861/',
      ADSMITH_SDWEBUI_AUTH: AUTH,
      ADSMITH_SDWEBUI_MODEL: 'sd_xl_base_1.0.safetensors',
      ADSMITH_SDWEBUI_SAMPLER: 'Euler a',
      ADSMITH_SDWEBUI_STEPS: '30',
      ADSMITH_SDWEBUI_CFG_SCALE: '5.5',
      ADSMITH_SDWEBUI_SIZE: '512',
      ADSMITH_SDWEBUI_SIZE_MULTIPLE: '64',
      ADSMITH_SDWEBUI_LIFESTYLE: 'txt2img',
    });
    expect(c.sdwebui).toEqual({
      baseUrl: 'http://gpu-box:7861',
      auth: AUTH,
      settings: { model: 'sd_xl_base_1.0.safetensors', sampler: 'Euler a', steps: 30, cfgScale: 5.5, size: 512, sizeMultiple: 64, lifestyle: 'txt2img' },
    });
    const bad: Array<[Record<string, string>, string, RegExp]> = [
      [{ ADSMITH_SDWEBUI_AUTH: 'just-a-password' }, 'ADSMITH_SDWEBUI_AUTH', /user:password/],
      [{ ADSMITH_SDWEBUI_BASE_URL: 'http://user:pw@gpu-box:7860' }, 'ADSMITH_SDWEBUI_BASE_URL', /must not carry credentials/],
      [{ ADSMITH_SDWEBUI_SIZE_MULTIPLE: '16' }, 'ADSMITH_SDWEBUI_SIZE_MULTIPLE', /8 or 64/],
      [{ ADSMITH_SDWEBUI_LIFESTYLE: 'outpaint' }, 'ADSMITH_SDWEBUI_LIFESTYLE', /inpaint, txt2img/],
      [{ ADSMITH_SDWEBUI_STEPS: '0' }, 'ADSMITH_SDWEBUI_STEPS', /1 to 150/],
      [{ ADSMITH_SDWEBUI_CFG_SCALE: 'high' }, 'ADSMITH_SDWEBUI_CFG_SCALE', /number from 1 to 30/],
    ];
    for (const [env, variable, text] of bad) {
      let err: unknown;
      try {
        smartImageConfigFromEnv({ ADSMITH_SMART_IMAGE_PROVIDER: 'sdwebui', ...env });
      } catch (e) {
        err = e;
      }
      expect(err, variable).toBeInstanceOf(SmartImageConfigError);
      expect((err as SmartImageConfigError).variable).toBe(variable);
      expect((err as SmartImageConfigError).message).toMatch(text);
      expect((err as SmartImageConfigError).message).not.toContain('pw@');
    }
  });

  it('frames are made by the server and say so; a hanging server falls back to offline with a warning, then is skipped while cooling down', async () => {
    let hang = false;
    server = await fakeServer(async (req, res) => {
      if (!hang) return sendJson(res, 200, { images: [await paintMasked(req)] });
    });
    const events: SmartImageEvent[] = [];
    const svc = createSmartImageService(
      smartImageConfigFromEnv({
        ADSMITH_SMART_IMAGE_PROVIDER: 'sdwebui',
        ADSMITH_SDWEBUI_BASE_URL: server.base,
        ADSMITH_SDWEBUI_AUTH: AUTH,
        ADSMITH_SDWEBUI_SIZE: '256',
        ADSMITH_SMART_IMAGE_TIMEOUT_MS: '300',
        ADSMITH_SMART_IMAGE_RETRIES: '0',
      }),
      { onEvent: (e) => events.push(e) },
    );
    const prep = await svc.prepare({ image: await encodePng(product), operation: 'expand_image' });
    expect(prep.cutoutBy).toBe('isnet'); // the WebUI's API has no background removal
    const made = await svc.renderFrame(prep, frame);
    expect([made.provider, made.fallback, made.warnings, made.width, made.height]).toEqual(['sdwebui', undefined, [], 256, 144]);
    // What the server painted (the new pixels beside the photo) is in the frame.
    let green = 0;
    for (let i = 0; i < made.data.length; i += 4) if (made.data[i] === 0 && made.data[i + 1] === 255 && made.data[i + 2] === 0) green++;
    expect(green).toBeGreaterThan(100);

    hang = true;
    const a = await svc.renderFrame(prep, frame);
    expect([a.provider, a.width, a.height]).toEqual(['offline', 256, 144]);
    expect(a.fallback).toEqual({ from: 'sdwebui', operation: 'expand_image', reason: 'expand timed out after 300 ms' });
    expect(a.warnings).toEqual(['smart image: sdwebui expand_image failed (expand timed out after 300 ms); the offline generator was used instead.']);
    const b = await svc.renderFrame(prep, frame);
    expect(b.provider).toBe('offline');
    expect(b.fallback?.reason).toMatch(/^skipped: it failed .* \(expand timed out after 300 ms\)$/);
    expect(server.requests).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'provider_failed')).toHaveLength(2);
    for (const f of [a, b]) expect(JSON.stringify(f.fallback) + f.warnings.join()).not.toContain(PASSWORD);
  }, 60_000);
});
