/**
 * Synthetic backgrounds for the expand seam tests, made by code (no licence to
 * track): bricks with mortar, diagonal stripes and coloured noise, each on a soft
 * light falloff so low and high frequencies both have to continue. Deterministic.
 */
import { rng } from '../../../src/smart-image/patchmatch.js';
import type { RawImage } from '../../../src/smart-image/types.js';

export type Texture = 'bricks' | 'stripes' | 'noise';

/**
 * `phase` shifts the pattern (pixels); the seam tests shift bricks so the photo's
 * edges fall inside bricks, not on a mortar line (a mortar edge right at the border
 * would be a large step that belongs to the texture, not a seam).
 */
export function makeTexture(w: number, h: number, kind: Texture, seed = 11, phase: [number, number] = [0, 0]): RawImage {
  const r = rng(seed);
  const data = new Uint8Array(w * h * 4);
  const brickW = Math.max(8, Math.round(w / 9)), brickH = Math.max(4, Math.round(brickW / 2.4)), mortar = Math.max(1, Math.round(brickW / 16));
  const tones = Array.from({ length: 4096 }, () => 0.85 + r() * 0.3);
  for (let yy = 0; yy < h; yy++)
    for (let xx = 0; xx < w; xx++) {
      const x = xx + phase[0], y = yy + phase[1];
      // A gentle falloff of light from the top-left.
      const light = 1 - 0.25 * ((x / w + y / h) / 2);
      let rgb: [number, number, number];
      if (kind === 'bricks') {
        const row = Math.floor(y / brickH);
        const off = row % 2 ? brickW / 2 : 0;
        const col = Math.floor((x + off) / brickW);
        const inMortar = y % brickH < mortar || (x + off) % brickW < mortar;
        const t = tones[(row * 97 + col * 31) % tones.length]!;
        rgb = inMortar ? [196, 190, 178] : [168 * t, 78 * t, 56 * t];
      } else if (kind === 'stripes') {
        const v = Math.sin(((x + y) / Math.max(6, w / 24)) * Math.PI);
        rgb = v > 0.2 ? [40, 90, 150] : [230, 220, 190];
      } else {
        rgb = [120 + r() * 60, 140 + r() * 40, 110 + r() * 50];
      }
      const o = (yy * w + xx) * 4;
      data[o] = Math.min(255, rgb[0] * light);
      data[o + 1] = Math.min(255, rgb[1] * light);
      data[o + 2] = Math.min(255, rgb[2] * light);
      data[o + 3] = 255;
    }
  return { data, width: w, height: h };
}
