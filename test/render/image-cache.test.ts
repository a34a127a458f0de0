import { createCanvas, type Canvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { ImageLoader } from '../../src/node/images.js';
import { Renderer } from '../../src/node/render.js';

/** A one-scene template whose only element is a picture filling it. */
function pictureTemplate(width: number, height: number): TemplateDocument {
  return {
    schema_version: 1,
    id: 't',
    name: 'one picture',
    description: 'an image element',
    requires_brand: false,
    scenes: [
      {
        name: 's',
        width,
        height,
        background: { type: 'color', color: '#ffffff' },
        elements: [{ id: 'p', layer_type: 'image', content_type: 'Image #1', content: '', box: { x: 0, y: 0, width, height }, style: { fit: 'cover' } }],
      },
    ],
  } as unknown as TemplateDocument;
}

async function pngSource(width: number, height: number, colour: string): Promise<string> {
  const png = await sharp({ create: { width, height, channels: 4, background: colour } }).png().toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

async function firstPixel(bytes: Uint8Array): Promise<number[]> {
  const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return [data[0]!, data[1]!, data[2]!];
}

describe('the renderer image cache', () => {
  it('forget drops a decoded picture once drawn', async () => {
    const renderer = new Renderer();
    const src = await pngSource(40, 30, '#2a6f97');
    const scene = await renderer.renderScene({ template: pictureTemplate(40, 30), brand: null, elements: [{ id: 'p', content: src }] }, 0);
    expect(await firstPixel(scene.bytes)).toEqual([0x2a, 0x6f, 0x97]);
    expect(renderer.images.cachedBytes).toBe(40 * 30 * 4);
    expect(renderer.images.forget(src)).toBe(true);
    expect(renderer.images.forget(src)).toBe(false);
    expect(renderer.images.cachedBytes).toBe(0);
  });

  it('stays within its byte budget across many different pictures, evicting the least recently used', async () => {
    // Each 200×200 picture decodes to 160 000 bytes; the budget holds two.
    const renderer = new Renderer({ cacheBytes: 2 * 200 * 200 * 4 });
    const colours = ['#ff0000', '#00ff00', '#0000ff', '#ffff00', '#00ffff'];
    const sources = await Promise.all(colours.map((c) => pngSource(200, 200, c)));
    const template = pictureTemplate(200, 200);
    for (const [i, src] of sources.entries()) {
      const scene = await renderer.renderScene({ template, brand: null, elements: [{ id: 'p', content: src }] }, 0);
      // Every render still draws its own picture: nothing it needs was evicted under it.
      expect(await firstPixel(scene.bytes)).toEqual([parseInt(colours[i]!.slice(1, 3), 16), parseInt(colours[i]!.slice(3, 5), 16), parseInt(colours[i]!.slice(5, 7), 16)]);
      expect(renderer.images.cachedBytes).toBeLessThanOrEqual(2 * 200 * 200 * 4);
    }
    // The two most recent are kept; the oldest are gone.
    expect(renderer.images.forget(sources[4]!)).toBe(true);
    expect(renderer.images.forget(sources[3]!)).toBe(true);
    expect(renderer.images.forget(sources[0]!)).toBe(false);
  });

  it('never evicts a picture a render in progress still needs', async () => {
    const loader = new ImageLoader({ cacheBytes: 1 });
    const src = await pngSource(100, 100, '#123456');
    const request = { src, layerId: 'p', deviceWidth: 100, deviceHeight: 100 };
    // Two renders hold the picture, under a budget smaller than it.
    const releaseFirst = await loader.prepare([request]);
    const releaseSecond = await loader.prepare([request]);
    releaseFirst();
    expect(loader.lookup().image(src, 100, 100)).toBeDefined();
    releaseSecond();
    expect(loader.lookup().image(src, 100, 100)).toBeUndefined();
    expect(loader.cachedBytes).toBe(0);
  });
});

describe('resampled bitmaps (issue 15: a photo is resampled once per destination, not at every render)', () => {
  /** A 400×300 picture with detail in every pixel, so that resampling has something to get wrong. */
  async function detailedSource(): Promise<string> {
    const raw = Buffer.alloc(400 * 300 * 4);
    for (let i = 0; i < 400 * 300; i++) {
      const x = i % 400;
      const y = Math.floor(i / 400);
      raw.set([(x * 7 + y * 3) % 256, (x * y) % 256, (x ^ y) % 256, y < 20 ? 128 : 255], i * 4);
    }
    const png = await sharp(raw, { raw: { width: 400, height: 300, channels: 4 } }).png().toBuffer();
    return `data:image/png;base64,${png.toString('base64')}`;
  }

  it('draws what a direct high-quality draw gives (within 2/255), keeps it, counts it in the budget and forgets it with its source', async () => {
    const loader = new ImageLoader();
    const src = await detailedSource();
    const release = await loader.prepare([{ src, layerId: 'p', deviceWidth: 150, deviceHeight: 100 }]);
    const lookup = loader.lookup();
    const image = lookup.image(src, 150, 100)! as Canvas;
    const source = { x: 10.5, y: 3.25, w: 300.5, h: 200.2 };
    const dest = { x: 20.4, y: 10.7, w: 150.3, h: 100.2 };

    const direct = createCanvas(200, 150);
    const dctx = direct.getContext('2d');
    dctx.imageSmoothingQuality = 'high';
    dctx.drawImage(image, source.x, source.y, source.w, source.h, dest.x, dest.y, dest.w, dest.h);

    const bitmap = lookup.resampled!(src, image, source, dest, 'high')!;
    expect([bitmap.x, bitmap.y, bitmap.image.width, bitmap.image.height]).toEqual([20, 10, 151, 101]);
    const copied = createCanvas(200, 150);
    const cctx = copied.getContext('2d');
    cctx.imageSmoothingEnabled = false;
    cctx.drawImage(bitmap.image as Canvas, bitmap.x, bitmap.y);

    const a = dctx.getImageData(0, 0, 200, 150).data;
    const b = cctx.getImageData(0, 0, 200, 150).data;
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      worst = Math.max(worst, d);
      if (d) differing++;
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(differing).toBeLessThan(a.length / 10);

    // The next scene asking for the same destination gets the same bitmap; it is counted in the budget.
    expect(lookup.resampled!(src, image, source, dest, 'high')!.image).toBe(bitmap.image);
    expect(loader.cachedBytes).toBe(400 * 300 * 4 + 151 * 101 * 4);
    // A 1:1 draw of the whole picture on the pixel grid is a copy: nothing is resampled or kept.
    expect(lookup.resampled!(src, image, { x: 0, y: 0, w: 400, h: 300 }, { x: 3, y: 4, w: 400, h: 300 }, 'high')).toBeUndefined();
    release();
    expect(loader.forget(src)).toBe(true);
    expect(loader.cachedBytes).toBe(0);
  });

  it('keeps at most 16 destinations per picture, the most recently used', async () => {
    const loader = new ImageLoader();
    const src = await detailedSource();
    const release = await loader.prepare([{ src, layerId: 'p', deviceWidth: 100, deviceHeight: 100 }]);
    const lookup = loader.lookup();
    const image = lookup.image(src, 100, 100)!;
    const whole = { x: 0, y: 0, w: 400, h: 300 };
    const first = lookup.resampled!(src, image, whole, { x: 0, y: 0, w: 40, h: 30 }, 'high')!.image;
    for (let w = 41; w < 41 + 16; w++) lookup.resampled!(src, image, whole, { x: 0, y: 0, w, h: 30 }, 'high');
    expect(lookup.resampled!(src, image, whole, { x: 0, y: 0, w: 40, h: 30 }, 'high')!.image).not.toBe(first);
    let expected = 400 * 300 * 4;
    for (let w = 42; w < 41 + 16; w++) expected += w * 30 * 4;
    expect(loader.cachedBytes).toBe(expected + 40 * 30 * 4);
    release();
  });
});
