import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blob/fs.js';
import { loadCutout } from '../../src/jobs/cutout-store.js';
import { ModelHost } from '../../src/jobs/model-host.js';
import { modelSettingsFromEnv } from '../../src/jobs/model-settings.js';

/**
 * The models thread through its host, with the real ISNet and nsfwjs models: the
 * cut-out is computed once per image content and persisted, so a restarted
 * process (a new host on the same blob store) does not run the model again.
 */
const SCRIPT = new URL('../../src/jobs/models-thread.ts', import.meta.url);
const PRODUCT = fs.readFileSync(new URL('../../src/assets/images/product.png', import.meta.url));
const FLAGGED = fs.readFileSync(new URL('./fixtures/flagged-product.png', import.meta.url));
const roots: string[] = [];
const hosts: ModelHost[] = [];

function newHost(env: Record<string, string> = {}, root = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-models-'))) {
  roots.push(root);
  const host = new ModelHost(SCRIPT, { models: modelSettingsFromEnv({ NODE_ENV: 'test', ...env }), blob: { kind: 'fs', root }, niceness: 0 });
  hosts.push(host);
  return { host, root };
}

afterAll(async () => {
  for (const h of hosts) await h.close();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

describe('models thread', () => {
  it('cuts an image out once (two callers at once share one model run), persists the matte, and a restarted host reuses it without running the model', async () => {
    const first = newHost();
    const [cut, joined] = await Promise.all([first.host.cutout(PRODUCT), first.host.cutout(PRODUCT)]);
    expect(cut).toMatchObject({ ok: true, computed: true, cutoutBy: 'isnet' });
    expect(joined).toMatchObject({ ok: true, computed: false, imageHash: cut.imageHash });
    expect(first.host.stats).toMatchObject({ cutoutsComputed: 1, cutoutsReused: 1 });
    expect(first.host.status('smart_image').state).toBe('ready');

    // The persisted matte matches the product's own transparency (the photo ships as a cut-out PNG).
    const saved = await loadCutout(new FsBlobStore(first.root), cut.imageHash);
    expect(saved?.meta).toMatchObject({ width: 1200, height: 1400, cutoutBy: 'isnet' });
    const own = await sharp(PRODUCT).extractChannel(3).raw().toBuffer();
    let inter = 0, union = 0;
    for (let i = 0; i < own.length; i++) {
      const a = own[i]! >= 128, b = saved!.alpha[i]! >= 128;
      if (a && b) inter++;
      if (a || b) union++;
    }
    expect(inter / union).toBeGreaterThan(0.97);

    const again = await first.host.cutout(PRODUCT);
    expect(again).toMatchObject({ computed: false, imageHash: cut.imageHash });
    await first.host.close();

    const restarted = newHost({}, first.root);
    const reused = await restarted.host.cutout(PRODUCT);
    expect(reused).toMatchObject({ computed: false, imageHash: cut.imageHash, cutoutBy: 'isnet' });
    // Not even loaded: the persisted cut-out was enough.
    expect(restarted.host.status('smart_image').state).toBe('not_loaded');
  });

  it('bytes that are not an image: the contract 422 naming the smart-image parameter', async () => {
    const { host } = newHost();
    await expect(host.cutout(new TextEncoder().encode('not an image at all'))).rejects.toMatchObject({
      code: 'ADS_URL_UNUSABLE',
      status: 422,
      message: expect.stringMatching(/\(smart_image\.input_image_url: the image is not an image Adsmith can read/),
    });
  });

  it('NSFW thresholds come from ADSMITH_NSFW_THRESHOLDS', async () => {
    const strict = newHost().host;
    expect((await strict.classify(FLAGGED)).verdict).toMatchObject({ safe: false, label: 'Porn' });
    expect((await strict.classify(PRODUCT)).verdict.safe).toBe(true);
    const lenient = newHost({ ADSMITH_NSFW_THRESHOLDS: 'porn=1,hentai=1,sexy=1,combined=1' }).host;
    expect((await lenient.classify(FLAGGED)).verdict.safe).toBe(true);
  });
});
