import { createCanvas } from '@napi-rs/canvas';
import type { Context2D } from '../../src/engine/canvas.js';
import { layoutText, type TextLayout } from '../../src/engine/layout/text.js';
import { paintText } from '../../src/engine/paint/text.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import { FontLibrary, formatFamilyList } from '../../src/node/fonts.js';

const fonts = new FontLibrary();
const MARGIN = 64;

export interface InkReport {
  layout: TextLayout;
  /** Painted pixels (alpha > 16) found outside the box. */
  outside: number;
  /** Painted pixels inside the box. */
  inside: number;
}

/**
 * Lay out and paint one text layer alone on a transparent canvas with a wide
 * margin around its box, then count the pixels that carry ink outside the box.
 */
export function inkOutsideBox(layer: TextLayerPlan, checkBox: TextLayerPlan['box'] = layer.box): InkReport {
  fonts.ensure(layer.font);
  const box = checkBox;
  const w = Math.ceil(box.width) + MARGIN * 2;
  const h = Math.ceil(box.height) + MARGIN * 2;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d') as unknown as Context2D;
  ctx.translate(MARGIN - box.x, MARGIN - box.y);
  const layout = layoutText(ctx, layer, formatFamilyList);
  paintText(ctx, layout);
  const { data } = ctx.getImageData(0, 0, w, h);
  let outside = 0;
  let inside = 0;
  // One pixel of slack on each side for anti-aliasing of edges that touch the box.
  const x0 = MARGIN - 1;
  const y0 = MARGIN - 1;
  const x1 = MARGIN + box.width + 1;
  const y1 = MARGIN + box.height + 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (data[(y * w + x) * 4 + 3]! <= 16) continue;
      if (x < x0 || x >= x1 || y < y0 || y >= y1) outside++;
      else inside++;
    }
  }
  return { layout, outside, inside };
}
