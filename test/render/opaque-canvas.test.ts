import { createCanvas } from '@napi-rs/canvas';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { isOpaqueBackground } from '../../src/engine/paint/background.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { EngineHost } from '../../src/engine/host.js';
import { drawScene } from '../../src/engine/render.js';
import { Renderer } from '../../src/node/render.js';

/** Raw RGBA of an encoded image. */
async function rgba(bytes: Uint8Array): Promise<Buffer> {
  return (await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })).data;
}

/** A one-scene template: a background and a half-transparent ellipse over it. */
function withBackground(background: unknown): TemplateDocument {
  return {
    schema_version: 1,
    id: 'bg',
    name: 'background',
    description: 'a background and a shape',
    requires_brand: false,
    scenes: [
      {
        name: 's',
        width: 64,
        height: 48,
        background,
        elements: [{ id: 'e', layer_type: 'shape', content_type: 'Basic Shape #1', content: '', box: { x: 8, y: 8, width: 40, height: 30, opacity: 0.5 }, style: { shape: 'ellipse', fill: '#E4572E' } }],
      },
    ],
  } as unknown as TemplateDocument;
}

describe('opaque canvases (issue 15: reading back an opaque canvas needs no un-premultiplying)', () => {
  it('count only colours and gradients without alpha as opaque', () => {
    expect(isOpaqueBackground({ kind: 'color', color: 'rgb(1,2,3)' })).toBe(true);
    expect(isOpaqueBackground({ kind: 'color', color: 'rgba(1,2,3,0.5)' })).toBe(false);
    expect(isOpaqueBackground({ kind: 'color', color: 'rgba(0,0,0,0)' })).toBe(false);
    const stops = [
      { offset: 0, color: 'rgb(1,2,3)' },
      { offset: 1, color: 'rgb(4,5,6)' },
    ];
    expect(isOpaqueBackground({ kind: 'linear_gradient', angle: 90, stops })).toBe(true);
    expect(isOpaqueBackground({ kind: 'radial_gradient', center: { x: 0.5, y: 0.5 }, stops: [stops[0]!, { offset: 1, color: 'rgba(4,5,6,0.9)' }] })).toBe(false);
    expect(isOpaqueBackground({ kind: 'image', src: 'asset:images/product.png', focal: { x: 0.5, y: 0.5 }, overlay: 'rgb(0,0,0)' })).toBe(false);
  });

  it('draw the very pixels an alpha canvas draws (1061 and 1062/167, scene 1, at 1× and 2×)', async () => {
    const renderer = new Renderer();
    // The renderer's own host, so fonts and images are the ones it registered.
    const host = (renderer as unknown as { host: EngineHost }).host;
    for (const req of [
      { template: publicTemplate('1061')!, brand: null },
      { template: publicTemplate('1062')!, brand: publicBrand('167')! },
    ]) {
      for (const scale of [1, 2] as const) {
        const scene = await renderer.renderScene({ ...req, output: { scale } }, 0);
        // It was drawn on the renderer's kept opaque canvas.
        const kept = (renderer as unknown as { canvases: { opaque: { getContext(k: '2d'): { getContextAttributes(): { alpha: boolean } } }[] } }).canvases.opaque;
        expect(kept.map((c) => c.getContext('2d').getContextAttributes().alpha)).toEqual([false]);
        const plan = buildPlans(req)[0]!;
        expect(isOpaqueBackground(plan.background)).toBe(true);
        const canvas = createCanvas(1, 1);
        canvas.getContext('2d', { alpha: true });
        const drawn = await drawScene(host, plan, { scale, brand: req.brand, requiresBrand: req.template.requires_brand, canvas });
        const expected = Buffer.from(drawn.ctx.getImageData(0, 0, drawn.canvas.width, drawn.canvas.height).data.buffer);
        const actual = await rgba(scene.bytes);
        expect(actual.length).toBe(expected.length);
        expect(actual.equals(expected), `${req.template.id} @${scale}x`).toBe(true);
      }
    }
  });

  it('keep a transparent or translucent background transparent', async () => {
    const renderer = new Renderer();
    for (const [background, alpha] of [
      [{ type: 'color', color: 'transparent' }, 0],
      [{ type: 'color', color: '#33669980' }, 128],
      [{ type: 'linear_gradient', angle: 90, stops: [{ offset: 0, color: '#00000000' }, { offset: 1, color: '#00000000' }] }, 0],
    ] as const) {
      const [scene] = await renderer.render({ template: withBackground(background), brand: null });
      const px = await rgba(scene!.bytes);
      expect(px[3], JSON.stringify(background)).toBe(alpha); // top-left corner: background only
    }
    // An opaque scene rendered in between does not leave its opaque canvas to the next transparent one.
    await renderer.render({ template: withBackground({ type: 'color', color: '#ffffff' }), brand: null });
    const [again] = await renderer.render({ template: withBackground({ type: 'color', color: 'transparent' }), brand: null });
    expect((await rgba(again!.bytes))[3]).toBe(0);
  });
});
