import { afterAll, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from './helpers.js';
import { PRODUCT_PNG, serveBytes, startRealServer } from './smart-image-helpers.js';

/**
 * Degraded start: the cut-out model and the moderation runtime are pointed at an
 * empty folder (as a broken install would leave them). The server still starts
 * and renders plain requests; smart-image and moderated requests get a 424 that
 * says what is missing; /healthz answers 200 with `status: "degraded"` and the
 * failed parts, so an orchestrator does not restart a server a restart would not
 * fix.
 */
const empty = tempDir();
const BROKEN = { ADSMITH_CUTOUT_MODEL_DIR: empty, ADSMITH_MODERATION_WASM_DIR: empty };
const servers: Array<{ close: () => Promise<void> }> = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('a model that fails to load', () => {
  it('preloaded at start: /healthz reports each broken part; smart image and moderation answer 424; plain requests work', async () => {
    const s = await startRealServer({ env: { ...BROKEN, ADSMITH_PRELOAD_MODELS: '1' }, validate: false });
    servers.push(s);
    const health = await waitFor(async () => {
      const h = (await s.app.inject('/healthz')).json();
      return h.parts.smart_image.state === 'failed' && h.parts.image_moderation.state === 'failed' ? h : null;
    }, 30_000);
    expect(health.status).toBe('degraded');
    expect(health.parts.smart_image).toMatchObject({ ok: false, state: 'failed' });
    expect(health.parts.smart_image.reason).toMatch(/cut-out model \(ISNet medium\) failed to load: .*resources\.json/);
    expect(health.parts.image_moderation).toMatchObject({ ok: false, state: 'failed' });
    expect(health.parts.image_moderation.reason).toMatch(/image moderation model \(nsfwjs\) failed to load: the tfjs wasm backend did not start \(its \.wasm files were not found in \//);
    expect(health.parts.render.ok).toBe(true);
    const h = await s.app.inject('/healthz');
    expect(h.statusCode).toBe(200);
    expect(h.headers['cache-control']).toBe('no-store');

    const host = await serveBytes({ '/product.png': { body: PRODUCT_PNG, type: 'image/png' } });
    try {
      const smart = await s.gen({ template_id: '1062', brand_id: '121', smart_image: { input_image_url: host.url('/product.png'), scene: { operation: 'expand_image' } } });
      expect(smart.statusCode).toBe(424);
      expect(smart.headers['content-type']).toMatch(/application\/json/);
      expect(smart.json().error.code).toBe('ADS_MODEL_UNAVAILABLE');
      expect(smart.json().error.message).toMatch(/^Smart image is unavailable on this server: cut-out model \(ISNet medium\) failed to load: .*GET \/healthz shows the missing part/);

      const moderated = await s.gen({ template_id: '1062', brand_id: '121', content_moderation: true });
      expect(moderated.statusCode).toBe(424);
      expect(moderated.json().error.message).toMatch(/^Content moderation is unavailable on this server: image moderation model \(nsfwjs\) failed to load/);
    } finally {
      await host.close();
    }

    const plain = await s.gen({ template_id: '1062', brand_id: '121', sync: true });
    expect(plain.statusCode).toBe(200);
    expect(plain.json().status).toBe('COMPLETED');
  });

  it('loaded on first use (the default): healthz is ok until a request finds the model missing, then degraded', async () => {
    const s = await startRealServer({ env: { ...BROKEN, ADSMITH_PRELOAD_MODELS: '0' }, validate: false });
    servers.push(s);
    const before = (await s.app.inject('/healthz')).json();
    expect(before.status).toBe('ok');
    expect(before.parts.smart_image.state).toBe('not_loaded');
    const res = await s.gen({ template_id: '1062', brand_id: '121', smart_image: { input_image_url: 'https://example.invalid/p.png', scene: { operation: 'expand_image' } } });
    expect(res.statusCode).toBe(424);
    const after = (await s.app.inject('/healthz')).json();
    expect(after.status).toBe('degraded');
    expect(after.parts.smart_image.state).toBe('failed');
    // The moderation model was not needed yet: still untouched.
    expect(after.parts.image_moderation.state).toBe('not_loaded');
  });
});
