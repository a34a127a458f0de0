import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AdsmithError } from '../../src/errors/catalogue.js';
import { encode, isOpaque } from '../../src/node/encode.js';
import { normalizeOutput } from '../../src/node/render.js';
import type { PngMode } from '../../src/node/types.js';

/** 64×48 pixels with detail everywhere; `alpha` for every pixel of the bottom half. */
function pixels(alpha: number) {
  const data = new Uint8ClampedArray(64 * 48 * 4);
  for (let i = 0; i < 64 * 48; i++) {
    const x = i % 64;
    const y = Math.floor(i / 64);
    data.set([(x * 9) % 256, (y * 5) % 256, (x * y) % 256, y >= 24 ? alpha : 255], i * 4);
  }
  return { data, width: 64, height: 48 };
}

async function decoded(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, channels: (await sharp(png).metadata()).channels, width: info.width, height: info.height };
}

describe('png modes (issue 15)', () => {
  it('accepts fast, balanced and small, and names the choices when png_mode is anything else', () => {
    expect(normalizeOutput({}).pngMode).toBe('fast');
    expect(normalizeOutput({ pngMode: 'balanced' }).pngMode).toBe('balanced');
    let caught: unknown;
    try {
      normalizeOutput({ pngMode: 'medium' as PngMode });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AdsmithError);
    expect((caught as AdsmithError).message).toContain('png_mode');
    expect((caught as AdsmithError).message).toContain('must be fast, balanced or small');
  });

  it('every mode is lossless; balanced drops the alpha channel only when every pixel is opaque', async () => {
    for (const alpha of [255, 100]) {
      const px = pixels(alpha);
      expect(isOpaque(px.data)).toBe(alpha === 255);
      for (const mode of ['fast', 'balanced', 'small'] as const) {
        const out = await decoded(await encode(px, { format: 'png', scale: 1, pngMode: mode, quality: 90 }));
        expect([out.width, out.height]).toEqual([64, 48]);
        expect(Buffer.from(out.data).equals(Buffer.from(px.data)), `${mode} alpha ${alpha}`).toBe(true);
        if (mode === 'balanced') expect(out.channels).toBe(alpha === 255 ? 3 : 4);
      }
    }
  });
});
