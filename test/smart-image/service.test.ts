import { beforeAll, describe, expect, it } from 'vitest';
import { OfflineSmartImageService, type SmartImageEvent } from '../../src/smart-image/service.js';
import { encodePng, SmartImageInputError } from '../../src/smart-image/image.js';
import { resolvePlacement } from '../../src/smart-image/placement.js';
import { makeProductPhoto } from '../fixtures/smart-image/synth.js';
import type { SmartImageProvider } from '../../src/smart-image/types.js';

const events: SmartImageEvent[] = [];
const failing: SmartImageProvider = {
  name: 'broken-remote',
  async removeBackground() {
    throw new Error('connection refused');
  },
  async lifestyleShot() {
    throw new Error('timeout after 30000 ms');
  },
};
const svc = new OfflineSmartImageService({ onEvent: (e) => events.push(e), provider: failing });
let png: Buffer;

beforeAll(async () => {
  png = await encodePng(makeProductPhoto(512, 'bottle', 'texture').photo);
  expect((await svc.warm()).ok).toBe(true);
}, 120_000);

const px = (img: { data: Uint8Array; width: number }, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4)];

describe('OfflineSmartImageService', () => {
  it('cuts out once per image content and reuses it (cache by hash)', async () => {
    const a = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input: '#ff0000' });
    const b = await svc.prepare({ image: new Uint8Array(png), operation: 'expand_image' });
    expect(a.imageHash).toBe(b.imageHash);
    expect(a.key).not.toBe(b.key);
    expect(b.prepareMs).toBe(0);
    expect(events.some((e) => e.kind === 'cache_hit')).toBe(true);
    // The remote failure fell back to ISNet and was recorded.
    expect(a.cutoutBy).toBe('isnet');
    expect(events.some((e) => e.kind === 'provider_failed' && e.provider === 'broken-remote')).toBe(true);
  });

  it('hex colour: solid background, subject inside the padded frame, contact shadow under it', async () => {
    const prep = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input: '#3366cc' });
    const frame = { width: 800, height: 600, placement: resolvePlacement({}) };
    const img = await svc.renderFrame(prep, frame);
    expect([img.width, img.height]).toEqual([800, 600]);
    expect(px(img, 2, 2)).toEqual([0x33, 0x66, 0xcc, 255]);
    expect(px(img, 797, 300)).toEqual([0x33, 0x66, 0xcc, 255]);
    // Not cropped: the padding band (6 %) is pure background all round.
    for (let x = 0; x < 800; x += 5) for (const y of [0, 30, 570, 599]) expect(px(img, x, y).slice(0, 3)).not.toEqual([0x0d, 0x4d, 0x2b]);
    // Shadow: just below the subject's bottom centre is darker than the background.
    const bottom = Math.round(600 * 0.94);
    const under = px(img, 400, bottom + 2);
    expect(under[2]!).toBeLessThan(0xcc - 10);
  });

  it('prompt: deterministic for a seed, different for another seed or prompt', async () => {
    const frame = { width: 480, height: 320, placement: resolvePlacement({ anchor: 'center' }) };
    const p1 = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input: 'warm oak table at sunset', seed: 3 });
    const a = await svc.renderFrame(p1, frame);
    const b = await svc.renderFrame(p1, frame);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const p2 = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input: 'warm oak table at sunset', seed: 4 });
    expect(Buffer.from((await svc.renderFrame(p2, frame)).data).equals(Buffer.from(a.data))).toBe(false);
    const p3 = await svc.prepare({ image: png, operation: 'lifestyle_shot_by_text', input: 'navy concrete at night', seed: 3 });
    const c = await svc.renderFrame(p3, frame);
    // Night is darker than sunset.
    const mean = (img: { data: Uint8Array }) => img.data.reduce((s, v, i) => (i % 4 === 3 ? s : s + v), 0) / (img.data.length * 0.75);
    expect(mean(c)).toBeLessThan(mean(a) - 20);
    expect(events.some((e) => e.kind === 'provider_failed' && /lifestyle_shot_by_text/.test(e.detail))).toBe(true);
  });

  it('expand_image fills every frame aspect with the photo', async () => {
    const prep = await svc.prepare({ image: png, operation: 'expand_image' });
    for (const [w, h] of [[1200, 628], [628, 1200]] as const) {
      const img = await svc.renderFrame(prep, { width: w, height: h, placement: resolvePlacement({}) });
      expect([img.width, img.height]).toEqual([w, h]);
      for (let i = 3; i < img.data.length; i += 4 * 97) expect(img.data[i]).toBe(255);
    }
  });

  it('rejects bytes that are not an image, naming the field', async () => {
    const err = await svc.prepare({ image: new TextEncoder().encode('<html>nope</html>'), operation: 'expand_image' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmartImageInputError);
    expect((err as SmartImageInputError).field).toBe('smart_image.input_image_url');
  });
});
