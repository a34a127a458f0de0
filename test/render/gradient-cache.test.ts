import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import type { AssetLookup } from '../../src/engine/paint/assets.js';
import { paintBackground } from '../../src/engine/paint/background.js';
import type { BackgroundPlan } from '../../src/engine/plan/types.js';
import { createCanvas } from '@napi-rs/canvas';
import type { Context2D } from '../../src/engine/canvas.js';
import { Renderer } from '../../src/node/render.js';

const LINEAR = { type: 'linear_gradient', angle: 160, stops: [{ offset: 0, color: '#FFF8F0' }, { offset: 0.4, color: '#33669980' }, { offset: 1, color: '#F6E7D8' }] };
const RADIAL = { type: 'radial_gradient', center: { x: 0.3, y: 0.7 }, stops: [{ offset: 0, color: '#E4572E' }, { offset: 1, color: '#1E1B2E' }] };

function gradientTemplate(background: unknown, width = 300, height = 200): TemplateDocument {
  return {
    schema_version: 1,
    id: 'g',
    name: 'gradient',
    description: 'a gradient background only',
    requires_brand: false,
    scenes: [{ name: 's', width, height, background, elements: [] }],
  } as unknown as TemplateDocument;
}

async function rgba(bytes: Uint8Array): Promise<Buffer> {
  return (await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })).data;
}

/** The background drawn straight onto a canvas, without any host cache (as the browser host does). */
function direct(bg: BackgroundPlan, width: number, height: number, scale: number): Buffer {
  const canvas = createCanvas(width * scale, height * scale);
  const ctx = canvas.getContext('2d') as unknown as Context2D;
  const none: AssetLookup = { image: () => undefined };
  ctx.scale(scale, scale);
  paintBackground(ctx, bg, width, height, scale, none);
  return Buffer.from(ctx.getImageData(0, 0, width * scale, height * scale).data.buffer);
}

describe('gradient backgrounds kept by the Node host (issue 15: a gradient is computed once per size)', () => {
  it('give the pixels a direct draw gives, at 1× and 2×, linear (translucent stop) and radial', async () => {
    const renderer = new Renderer();
    const plans: Record<string, BackgroundPlan> = {
      linear: { kind: 'linear_gradient', angle: 160, stops: [{ offset: 0, color: 'rgb(255,248,240)' }, { offset: 0.4, color: 'rgba(51,102,153,0.502)' }, { offset: 1, color: 'rgb(246,231,216)' }] },
      radial: { kind: 'radial_gradient', center: { x: 0.3, y: 0.7 }, stops: [{ offset: 0, color: 'rgb(228,87,46)' }, { offset: 1, color: 'rgb(30,27,46)' }] },
    };
    for (const [name, background] of [['linear', LINEAR], ['radial', RADIAL]] as const) {
      for (const scale of [1, 2] as const) {
        const template = gradientTemplate(background);
        // Twice: the first draws and keeps the bitmap, the second copies it.
        for (let pass = 0; pass < 2; pass++) {
          const [scene] = await renderer.render({ template, brand: null, output: { scale } });
          expect((await rgba(scene!.bytes)).equals(direct(plans[name]!, 300, 200, scale)), `${name} @${scale}x pass ${pass}`).toBe(true);
        }
      }
    }
  });

  it('keeps one bitmap per gradient and size, counted in the cache budget and evicted first', async () => {
    const renderer = new Renderer();
    const before = renderer.images.cachedBytes;
    await renderer.render({ template: gradientTemplate(LINEAR), brand: null });
    expect(renderer.images.cachedBytes - before).toBe(300 * 200 * 4);
    await renderer.render({ template: gradientTemplate(LINEAR), brand: null }); // the same: nothing more kept
    expect(renderer.images.cachedBytes - before).toBe(300 * 200 * 4);
    await renderer.render({ template: gradientTemplate(LINEAR), brand: null, output: { scale: 2 } });
    expect(renderer.images.cachedBytes - before).toBe(300 * 200 * 4 * 5);

    // A budget smaller than one bitmap: nothing stays after the render.
    const small = new Renderer({ cacheBytes: 1000 });
    await small.render({ template: gradientTemplate(RADIAL), brand: null });
    expect(small.images.cachedBytes).toBe(0);
  });
});
