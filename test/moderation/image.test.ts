import { beforeAll, describe, expect, it } from 'vitest';
import { ImageModerator, judge } from '../../src/moderation/image.js';
import { moderationMessage } from '../../src/moderation/index.js';
import { encodePng } from '../../src/smart-image/image.js';
import { makeBackdrop, makeProductPhoto } from '../fixtures/smart-image/synth.js';

const mod = new ImageModerator();
beforeAll(async () => {
  await mod.load();
  expect(mod.status()).toMatchObject({ ok: true });
}, 120_000);

describe('ImageModerator (nsfwjs MobileNetV2, tfjs wasm)', () => {
  it('passes the test photos and backdrops (no false positives)', async () => {
    const imgs = [
      ...(['bottle', 'mug', 'sneaker'] as const).map((s) => makeProductPhoto(256, s, 'plain').photo),
      makeProductPhoto(256, 'bottle', 'texture').photo,
      makeBackdrop(320, 200, 'gradient'),
      makeBackdrop(320, 200, 'texture'),
    ];
    for (const img of imgs) {
      const v = await mod.check(await encodePng(img));
      expect(v.safe, JSON.stringify(v)).toBe(true);
      const sum = Object.values(v.scores).reduce((a, b) => a + b, 0);
      expect(sum).toBeGreaterThan(0.98);
    }
  });

  it('fails an image when the thresholds say so (same real model, strict thresholds)', async () => {
    const strict = new ImageModerator({ thresholds: { Porn: 0, Hentai: 0, Sexy: 0, combined: 0 } });
    const v = await strict.check(await encodePng(makeBackdrop(64, 64, 'plain')));
    expect(v.safe).toBe(false);
    expect(v.reason).toMatch(/≥/);
  });

  it('throws on bytes that are not an image', async () => {
    await expect(mod.check(new TextEncoder().encode('not an image'))).rejects.toThrow();
  });

  it('judge applies each threshold and the combined one', () => {
    const th = { Porn: 0.6, Hentai: 0.6, Sexy: 0.85, combined: 0.85 };
    const p = (o: Record<string, number>) => Object.entries(o).map(([className, probability]) => ({ className, probability }));
    expect(judge(p({ Neutral: 0.9, Drawing: 0.1 }), th)).toMatchObject({ safe: true, label: 'Neutral' });
    expect(judge(p({ Porn: 0.7, Neutral: 0.3 }), th)).toMatchObject({ safe: false, label: 'Porn' });
    expect(judge(p({ Sexy: 0.5, Porn: 0.4, Neutral: 0.1 }), th)).toMatchObject({ safe: false, label: 'Sexy' });
    expect(judge(p({ Sexy: 0.8, Neutral: 0.2 }), th).safe).toBe(true);
  });

  it('the 422 text names the parameter', () => {
    expect(moderationMessage('elements[2].content')).toBe(
      "The request could not be completed because the visual in the 'elements[2].content' parameter did not pass content moderation.",
    );
  });
});
