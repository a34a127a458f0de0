import { afterEach, describe, expect, it } from 'vitest';
import { createSmartImageService, smartImageConfigFromEnv } from '../../src/smart-image/factory.js';
import { encodePng } from '../../src/smart-image/image.js';
import { resolvePlacement } from '../../src/smart-image/placement.js';
import type { SmartImageEvent } from '../../src/smart-image/service.js';
import { makeProductPhoto } from '../fixtures/smart-image/synth.js';
import { fakeServer, formOf, sendBytes, sendJson, type FakeServer } from './helpers/fake-server.js';

const TOKEN = 'bria-token-for-fallback-tests';
const { photo, mask } = makeProductPhoto(128, 'mug', 'gradient');
const frame = { width: 256, height: 144, placement: resolvePlacement({}) };

/** What remove_background answers for the test photo: the photo with the known mask as alpha. */
async function cutPng(): Promise<Buffer> {
  const img = { ...photo, data: photo.data.slice() };
  for (let i = 0; i < mask.length; i++) img.data[i * 4 + 3] = mask[i]!;
  return encodePng(img);
}

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function briaService(events: SmartImageEvent[], extraEnv: Record<string, string> = {}) {
  const config = smartImageConfigFromEnv({
    ADSMITH_SMART_IMAGE_PROVIDER: 'bria',
    ADSMITH_BRIA_BASE_URL: server!.base,
    ADSMITH_BRIA_API_TOKEN: TOKEN,
    ADSMITH_SMART_IMAGE_ALLOW_LOOPBACK: '1',
    ADSMITH_SMART_IMAGE_TIMEOUT_MS: '300',
    ADSMITH_SMART_IMAGE_RETRIES: '0',
    ...extraEnv,
  });
  return createSmartImageService(config, { onEvent: (e) => events.push(e) });
}

describe('service with a remote provider: results say who made them, failures fall back to offline and are recorded', () => {
  it('Bria cut-out used; a hanging expand times out, falls back to offline with the reason, then is skipped while cooling down', async () => {
    const cut = await cutPng();
    server = await fakeServer((req, res, base) => {
      if (req.path === '/v2/image/edit/remove_background') return sendJson(res, 200, { result: { image_url: `${base}/cut.png` }, request_id: 'c' });
      if (req.path === '/cut.png') return sendBytes(res, cut);
      // expand: never answers
    });
    const events: SmartImageEvent[] = [];
    const svc = briaService(events);
    const prep = await svc.prepare({ image: await encodePng(photo), operation: 'expand_image' });
    expect(prep.cutoutBy).toBe('bria');
    expect(prep.warnings).toEqual([]);
    expect(prep.fallback).toBeUndefined();

    const a = await svc.renderFrame(prep, frame);
    expect([a.width, a.height, a.provider]).toEqual([256, 144, 'offline']);
    expect(a.fallback).toEqual({ from: 'bria', operation: 'expand_image', reason: 'expand timed out after 300 ms' });
    expect(a.warnings).toEqual(['smart image: bria expand_image failed (expand timed out after 300 ms); the offline generator was used instead.']);
    expect(events.filter((e) => e.kind === 'provider_failed')).toHaveLength(1);

    // The next scene does not wait out another timeout: the provider is skipped, and that is recorded.
    const b = await svc.renderFrame(prep, frame);
    expect(b.provider).toBe('offline');
    expect(b.fallback?.reason).toMatch(/^skipped: it failed .* \(expand timed out after 300 ms\)$/);
    expect(server.requests.filter((r) => r.path === '/v2/image/edit/expand')).toHaveLength(1);
    for (const f of [a, b]) expect(JSON.stringify(f.fallback) + f.warnings.join()).not.toContain(TOKEN);
  });

  it('lifestyle: a malformed answer falls back with its reason; a hex colour never asks the provider', async () => {
    const cut = await cutPng();
    server = await fakeServer((req, res, base) => {
      if (req.path === '/v2/image/edit/remove_background') return sendJson(res, 200, { result: { image_url: `${base}/cut.png` } });
      if (req.path === '/cut.png') return sendBytes(res, cut);
      if (req.path === '/v1/product/lifestyle_shot_by_text') return sendJson(res, 200, { result: [] });
    });
    const svc = briaService([]);
    const prompt = await svc.prepare({ image: await encodePng(photo), operation: 'lifestyle_shot_by_text', input: 'wooden table' });
    const a = await svc.renderFrame(prompt, frame);
    expect(a.provider).toBe('offline');
    expect(a.fallback).toMatchObject({ from: 'bria', operation: 'lifestyle_shot_by_text', reason: expect.stringMatching(/without result\[0\]\[0\].*malformed/) });
    const hex = await svc.prepare({ image: await encodePng(photo), operation: 'lifestyle_shot_by_text', input: '#ffcc00' });
    const b = await svc.renderFrame(hex, frame);
    expect([b.provider, b.fallback, b.warnings]).toEqual(['offline', undefined, []]);
    expect(server.requests.filter((r) => r.path.startsWith('/v1/'))).toHaveLength(1);
  });

  it('a refused key for remove_background falls back to the offline cut-out, recorded on the prepared image', async () => {
    server = await fakeServer((req, res) => sendJson(res, 403, { error: { code: 403, message: 'Access denied' } }));
    const svc = briaService([]);
    const prep = await svc.prepare({ image: await encodePng(photo), operation: 'expand_image' });
    expect(prep.cutoutBy).toBe('isnet');
    expect(prep.fallback).toEqual({ from: 'bria', operation: 'remove_background', reason: 'remove_background refused the API key (HTTP 403: Access denied); check ADSMITH_BRIA_API_TOKEN' });
    expect(prep.warnings).toHaveLength(1);
  }, 60_000);

  it('OpenAI configured by environment: expand made by the endpoint, provider recorded', async () => {
    server = await fakeServer(async (req, res) => {
      const form = await formOf(req);
      return sendJson(res, 200, { data: [{ b64_json: Buffer.from(await (form.get('image') as Blob).arrayBuffer()).toString('base64') }] });
    });
    const svc = createSmartImageService(
      smartImageConfigFromEnv({ ADSMITH_SMART_IMAGE_PROVIDER: 'openai', ADSMITH_OPENAI_BASE_URL: `${server.base}/v1`, ADSMITH_OPENAI_API_KEY: 'k-123456' }),
    );
    const prep = await svc.prepare({ image: await encodePng(photo), operation: 'expand_image' });
    expect(prep.cutoutBy).toBe('isnet'); // this provider does not cut out
    const out = await svc.renderFrame(prep, frame);
    expect([out.provider, out.fallback, out.width, out.height]).toEqual(['openai', undefined, 256, 144]);
  }, 60_000);
});
