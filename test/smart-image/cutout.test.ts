import { describe, expect, it, beforeAll } from 'vitest';
import { IsnetCutout, extractSubject } from '../../src/smart-image/cutout.js';
import { iou, makeProductPhoto, type Backdrop, type SubjectKind } from '../fixtures/smart-image/synth.js';

// One real ISNet session for the file (loading takes ~0.7 s, each matte ~1.2 s on 2 cores).
const cutout = new IsnetCutout();
beforeAll(async () => {
  await cutout.load();
  expect(cutout.status().ok).toBe(true);
}, 120_000);

describe('ISNet cut-out', () => {
  const cases: [SubjectKind, Backdrop][] = [
    ['bottle', 'plain'], ['bottle', 'texture'], ['mug', 'gradient'], ['mug', 'texture'], ['sneaker', 'plain'], ['sneaker', 'gradient'],
  ];
  it.each(cases)('%s on %s: IoU ≥ 0.95 against the composited mask', async (subject, backdrop) => {
    const { photo, mask } = makeProductPhoto(640, subject, backdrop);
    const alpha = await cutout.matte(photo);
    expect(alpha.length).toBe(640 * 640);
    expect(iou(alpha, mask)).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves no background colour in the soft edge (no halo)', async () => {
    // A white subject on a saturated blue textured backdrop would show a blue fringe.
    const { photo, mask } = makeProductPhoto(640, 'sneaker', 'gradient');
    const alpha = await cutout.matte(photo);
    const subj = extractSubject(photo, alpha);
    // Compare edge pixels' colours with the true subject colours next to them: after
    // decontamination the edge must be nearer the subject than the raw photo is.
    let rawErr = 0, fixedErr = 0, n = 0;
    const w = 640;
    for (let i = 0; i < alpha.length; i++) {
      const a = alpha[i]!;
      if (a < 30 || a > 220 || mask[i]! < 200) continue;
      // nearest fully inside pixel, searched upward/inward along the row
      let j = -1;
      for (let d = 1; d < 12 && j < 0; d++) for (const k of [i - d, i + d, i - d * w, i + d * w]) if (k >= 0 && k < alpha.length && mask[k] === 255 && alpha[k]! > 250) { j = k; break; }
      if (j < 0) continue;
      for (let c = 0; c < 3; c++) {
        rawErr += Math.abs(photo.data[i * 4 + c]! - photo.data[j * 4 + c]!);
        fixedErr += Math.abs(subj.data[i * 4 + c]! - photo.data[j * 4 + c]!);
      }
      n++;
    }
    expect(n).toBeGreaterThan(0);
    expect(fixedErr).toBeLessThanOrEqual(rawErr);
  });

  it('reports a model that cannot load, without throwing at construction', async () => {
    const broken = new IsnetCutout({ modelDir: '/nonexistent/isnet' });
    await broken.load();
    expect(broken.status().ok).toBe(false);
    expect(broken.status().detail).toMatch(/failed to load/);
    await expect(broken.matte(makeProductPhoto(64, 'mug', 'plain').photo)).rejects.toThrow(/failed to load/);
  });
});
