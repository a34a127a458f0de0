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
