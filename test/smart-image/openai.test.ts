import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { fitCanvas, OpenAiImagesProvider } from '../../src/smart-image/remote/openai.js';
import { ProviderError } from '../../src/smart-image/remote/errors.js';
import { decodeImage, encodePng, newImage } from '../../src/smart-image/image.js';
import { DEFAULT_REMOTE_LIMITS, type RemoteLimits } from '../../src/smart-image/factory.js';
import type { RawImage } from '../../src/smart-image/types.js';
import { fakeServer, formOf, sendBytes, sendJson, type FakeServer } from './helpers/fake-server.js';

const KEY = 'sk-test-abcdef123456';
const limits: RemoteLimits = { ...DEFAULT_REMOTE_LIMITS, timeoutMs: 3000, retries: 2, backoffMs: 10, maxTotalMs: 8000, allowLoopback: true, cooldownMs: 0 };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const provider = (model = 'gpt-image-1', extra: Partial<RemoteLimits> = {}) => new OpenAiImagesProvider({ baseUrl: `${server!.base}/v1/`, apiKey: KEY, model, limits: { ...limits, ...extra } });

/** A 60×40 photo: a vertical blue→white ramp, so any misplacement shows. */
function photo(): RawImage {
  const img = newImage(60, 40);
  for (let y = 0; y < 40; y++) for (let x = 0; x < 60; x++) img.data.set([x * 4, 100, 255 - y * 3, 255], (y * 60 + x) * 4);
  return img;
}
const px = (img: RawImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];
/** The endpoint's answer: the canvas it was sent, painted solid green where the mask was transparent. */
async function paintGreen(form: FormData): Promise<string> {
  const image = await decodeImage(new Uint8Array(await (form.get('image') as Blob).arrayBuffer()), 'image');
  const mask = await decodeImage(new Uint8Array(await (form.get('mask') as Blob).arrayBuffer()), 'mask');
  for (let i = 0; i < image.data.length; i += 4) if (mask.data[i + 3] === 0) image.data.set([0, 255, 0, 255], i);
  return (await encodePng(image)).toString('base64');
}

describe('OpenAI-compatible images edit provider against a local server', () => {
  it('picks the painted size nearest the frame aspect and fits the frame inside it', () => {
    expect(fitCanvas('gpt-image-1', { width: 1920, height: 1080 })).toMatchObject({ width: 1536, height: 1024, k: 0.8 });
    expect(fitCanvas('gpt-image-1', { width: 1080, height: 1920 })).toMatchObject({ width: 1024, height: 1536 });
    expect(fitCanvas('dall-e-2', { width: 1920, height: 1080 })).toMatchObject({ width: 1024, height: 1024, oy: (1024 - 1080 * (1024 / 1920)) / 2 });
  });

  it('expand: multipart image + mask + prompt + size to /images/edits with a Bearer key; b64_json answer cropped to the frame, photo kept exact', async () => {
    server = await fakeServer(async (req, res) => sendJson(res, 200, { created: 1, data: [{ b64_json: await paintGreen(await formOf(req)) }] }));
    const frame = { width: 300, height: 200 };
    const rect = { x: 120, y: 80, width: 60, height: 40 };
    const out = (await provider().expand(photo(), frame, rect, 1))!;
    expect([out.width, out.height]).toEqual([300, 200]);
    const req = server.requests[0]!;
    expect(`${req.method} ${req.path}`).toBe('POST /v1/images/edits');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    const form = await formOf(req);
    expect(form.get('model')).toBe('gpt-image-1');
    expect(form.get('size')).toBe('1536x1024');
    expect(form.get('n')).toBe('1');
    expect(form.get('response_format')).toBeNull(); // gpt-image models reject it
    expect(String(form.get('prompt'))).toMatch(/Extend this photograph/);
    const image = await sharp(Buffer.from(await (form.get('image') as Blob).arrayBuffer())).metadata();
    const mask = await sharp(Buffer.from(await (form.get('mask') as Blob).arrayBuffer())).metadata();
    expect([image.format, image.width, image.height, mask.format, mask.width, mask.height]).toEqual(['png', 1536, 1024, 'png', 1536, 1024]);
    // Outside the photo: what the model painted. Inside: our photo, pixel for pixel.
    expect(px(out, 10, 10)).toEqual([0, 255, 0, 255]);
    expect(px(out, 290, 190)).toEqual([0, 255, 0, 255]);
    for (const [x, y] of [[0, 0], [59, 39], [30, 20]] as const) expect(px(out, 120 + x, 80 + y)).toEqual(px(photo(), x, y));
  });

  it('lifestyle: dall-e-2 gets response_format=b64_json and a square size; a url answer is downloaded; the subject is drawn back exact', async () => {
    server = await fakeServer(async (req, res, base) => {
      if (req.path === '/v1/images/edits') {
        const form = await formOf(req);
        expect(form.get('response_format')).toBe('b64_json');
        expect(form.get('size')).toBe('1024x1024');
        expect(String(form.get('prompt'))).toMatch(/^sunlit kitchen counter\. Keep the product/);
        return sendJson(res, 200, { data: [{ url: `${base}/files/out.png` }] });
      }
      return sendBytes(res, await encodePng(newImage(1024, 1024, [250, 240, 230, 255])));
    });
    const subject = photo();
    for (let y = 0; y < 40; y++) for (let x = 0; x < 60; x++) if (x < 20 || x >= 40) subject.data[(y * 60 + x) * 4 + 3] = 0;
    const out = (await provider('dall-e-2').lifestyleShot(subject, 'sunlit kitchen counter', { width: 240, height: 160 }, 1, { x: 60, y: 40, width: 120, height: 80 }))!;
    expect([out.width, out.height]).toEqual([240, 160]);
    expect(px(out, 5, 5)).toEqual([250, 240, 230, 255]);
    // Subject column x=30 of the photo lands at 60 + 30·2 = 120 (scale 2), colour kept.
    const p = px(out, 120, 40 + 20 * 2);
    expect(Math.abs(p[0]! - 30 * 4)).toBeLessThanOrEqual(6);
    expect(Math.abs(p[2]! - (255 - 20 * 3))).toBeLessThanOrEqual(6);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/images/edits', '/files/out.png']);
  });

  it('a 503 then success is retried; a 401 is not, and the key never shows', async () => {
    let n = 0;
    server = await fakeServer(async (req, res) => (++n === 1 ? sendJson(res, 503, { error: { message: 'overloaded' } }) : sendJson(res, 200, { data: [{ b64_json: await paintGreen(await formOf(req)) }] })));
    await provider().expand(photo(), { width: 120, height: 80 }, { x: 30, y: 20, width: 60, height: 40 }, 1);
    expect(server.requests).toHaveLength(2);
    await server.close();
    server = await fakeServer((req, res) => sendJson(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`, type: 'invalid_request_error' } }));
    const e = (await provider().expand(photo(), { width: 120, height: 80 }, { x: 30, y: 20, width: 60, height: 40 }, 1).catch((x: unknown) => x)) as ProviderError;
    expect(e).toBeInstanceOf(ProviderError);
    expect([e.kind, server.requests.length]).toEqual(['auth', 1]);
    expect(e.message).toMatch(/refused the API key \(HTTP 401: Incorrect API key provided: \[redacted\]\); check ADSMITH_OPENAI_API_KEY/);
    expect(e.message).not.toContain(KEY);
  });

  it.each([
    ['no data', { created: 1 }, /without data\[0\]\.b64_json or data\[0\]\.url/],
    ['b64_json that is not base64', { data: [{ b64_json: '%%% not base64 %%%' }] }, /b64_json is not base64/],
    ['b64_json of text', { data: [{ b64_json: Buffer.from('hello world').toString('base64') }] }, /not a raster image/],
  ])('a malformed answer (%s) fails with a reason naming it', async (_n, body, reason) => {
    server = await fakeServer((req, res) => sendJson(res, 200, body));
    const e = (await provider().expand(photo(), { width: 120, height: 80 }, { x: 30, y: 20, width: 60, height: 40 }, 1).catch((x: unknown) => x)) as ProviderError;
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(reason);
  });
});
