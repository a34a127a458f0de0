import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { forgetDecodedImage } from '../../src/jobs/renderer-images.js';
import { Renderer } from '../../src/node/render.js';

/**
 * Smart-image frames are per request; the render thread drops each from the
 * Renderer's image cache after the scene. This fails if the loader's internals
 * change so that the workaround would silently stop freeing memory.
 */
describe('forgetDecodedImage', () => {
  it('drops a decoded frame from a real Renderer after it was drawn', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 4, background: '#2a6f97' } }).png().toBuffer();
    const src = `data:image/png;base64,${png.toString('base64')}`;
    const template = {
      schema_version: 1,
      id: 't',
      name: 'one frame',
      description: 'a smartImage element',
      requires_brand: false,
      scenes: [
        {
          name: 's',
          width: 40,
          height: 30,
          background: { type: 'color', color: '#ffffff' },
          elements: [{ id: 'p', layer_type: 'smartImage', content_type: 'smartImage', content: '', box: { x: 0, y: 0, width: 40, height: 30 }, style: {} }],
        },
      ],
    } as unknown as TemplateDocument;
    const renderer = new Renderer();
    const scene = await renderer.renderScene({ template, brand: null, elements: [{ id: 'p', content: src }] }, 0);
    const { data } = await sharp(scene.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([0x2a, 0x6f, 0x97]);
    expect(forgetDecodedImage(renderer, src)).toBe(true);
    expect(forgetDecodedImage(renderer, src)).toBe(false);
  });
});
