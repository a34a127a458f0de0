import { describe, expect, it } from 'vitest';
import { expandImage } from '../../src/smart-image/expand.js';
import type { RawImage } from '../../src/smart-image/types.js';
import { makeBackdrop } from '../fixtures/smart-image/synth.js';
import { meanFill, seamless, seamReport, textured, tileFill } from './helpers/seam.js';
import { makeTexture } from './helpers/textures.js';

const S = 384;
const frame = { width: 720, height: 405 };
const rect = { x: 168, y: 8, width: S, height: S };
const noSubject = new Uint8Array(S * S);

const photos: Record<string, () => RawImage> = {
  plain: () => makeBackdrop(S, S, 'plain'),
  gradient: () => makeBackdrop(S, S, 'gradient'),
  planks: () => makeBackdrop(S, S, 'texture'),
  bricks: () => makeTexture(S, S, 'bricks', 11, [10, 8]),
  stripes: () => makeTexture(S, S, 'stripes'),
  noise: () => makeTexture(S, S, 'noise'),
};

describe('expand_image seams: the step across the photo border is like the photo\'s own steps', () => {
  it.each(Object.keys(photos))('%s: no seam, texture carried out, photo kept exactly', async (kind) => {
    const photo = photos[kind]!();
    const out = await expandImage(photo, noSubject, frame, rect);
    const r = seamReport(out, photo, rect);
    expect(seamless(r), JSON.stringify(r)).toBe(true);
    if (kind !== 'plain' && kind !== 'gradient') expect(textured(r), JSON.stringify(r)).toBe(true);
    for (const [x, y] of [[0, 0], [S - 1, S - 1], [100, 200]] as const) {
      const o = ((rect.y + y) * frame.width + rect.x + x) * 4, i = (y * S + x) * 4;
      expect([...out.data.subarray(o, o + 4)]).toEqual([...photo.data.subarray(i, i + 3), 255]);
    }
  });

  it.each(['gradient', 'planks', 'bricks', 'stripes'])('control: a mean-colour fill of %s fails the same seam check', (kind) => {
    const photo = photos[kind]!();
    expect(seamless(seamReport(meanFill(photo, frame, rect), photo, rect))).toBe(false);
  });

  it.each(['gradient', 'planks', 'stripes'])('control: a tiled fill of %s fails the same seam check', (kind) => {
    const photo = photos[kind]!();
    expect(seamless(seamReport(tileFill(photo, frame, rect), photo, rect))).toBe(false);
  });

  it.each(['planks', 'bricks', 'stripes', 'noise'])('control: a flat fill of %s fails the texture check', (kind) => {
    const photo = photos[kind]!();
    expect(textured(seamReport(meanFill(photo, frame, rect), photo, rect))).toBe(false);
  });

  it('is deterministic for a seed and changes with it', async () => {
    const photo = photos.bricks!();
    const a = await expandImage(photo, noSubject, frame, rect, { seed: 5 });
    const b = await expandImage(photo, noSubject, frame, rect, { seed: 5 });
    const c = await expandImage(photo, noSubject, frame, rect, { seed: 6 });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    expect(Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
  });

  it('a photo that is all subject (nothing to copy) falls back to the reflection method, still opaque and seamless', async () => {
    const photo = photos.planks!();
    const all = new Uint8Array(S * S).fill(255);
    const out = await expandImage(photo, all, frame, rect);
    expect(Buffer.from(out.data).equals(Buffer.from((await expandImage(photo, all, frame, rect, { method: 'reflect' })).data))).toBe(true);
    for (let i = 3; i < out.data.length; i += 4 * 101) expect(out.data[i]).toBe(255);
  });
});
