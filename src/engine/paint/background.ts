import { drawImage, type Context2D } from '../canvas.js';
import { fitImage } from '../layout/image-fit.js';
import type { BackgroundPlan } from '../plan/types.js';
import type { AssetLookup } from './assets.js';
import { drawFitted } from './draw-fitted.js';

/**
 * True when the background alone leaves every pixel of the scene fully opaque: a colour or gradient whose
 * colours have no alpha (resolved colours are `rgb(…)` when opaque, `rgba(…)` otherwise). An image
 * background may have transparent pixels, so it does not count. A host may then draw on an opaque canvas:
 * the pixels are the same, and reading them back needs no un-premultiplying.
 */
export function isOpaqueBackground(bg: BackgroundPlan): boolean {
  switch (bg.kind) {
    case 'color':
      return bg.color.startsWith('rgb(');
    case 'linear_gradient':
    case 'radial_gradient':
      return bg.stops.length > 0 && bg.stops.every((s) => s.color.startsWith('rgb('));
    case 'image':
      return false;
  }
}

/** Paint the scene background over the whole scene (scene pixels; the context is already scaled). */
export function paintBackground(ctx: Context2D, bg: BackgroundPlan, width: number, height: number, scale: number, assets: AssetLookup): void {
  switch (bg.kind) {
    case 'color':
      ctx.fillStyle = bg.color;
      ctx.fillRect(0, 0, width, height);
      return;
    case 'linear_gradient':
    case 'radial_gradient': {
      const deviceW = Math.round(width * scale);
      const deviceH = Math.round(height * scale);
      // A gradient costs Skia several times a flat fill (1061's 1080×1080 ground: ~3.5 ms CPU against ~1 ms);
      // the host keeps it drawn at the canvas's size and it is copied 1:1 (the same pixels: it is the first
      // thing on a cleared canvas). Only when the scene covers whole device pixels, so the copy is exact.
      const bitmap =
        assets.painted && deviceW === width * scale && deviceH === height * scale
          ? assets.painted(`${JSON.stringify(bg)}@${scale}`, deviceW, deviceH, (c) => {
              c.scale(scale, scale);
              fillGradient(c, bg, width, height);
            })
          : undefined;
      if (bitmap) {
        ctx.save();
        ctx.imageSmoothingEnabled = false;
        drawImage(ctx, bitmap, { x: 0, y: 0, w: deviceW, h: deviceH }, { x: 0, y: 0, w: width, h: height });
        ctx.restore();
      } else {
        fillGradient(ctx, bg, width, height);
      }
      return;
    }
    case 'image': {
      const image = assets.image(bg.src, Math.round(width * scale), Math.round(height * scale));
      if (image) {
        const { source, dest } = fitImage(image, { x: 0, y: 0, w: width, h: height }, 'cover', bg.focal);
        drawFitted(ctx, assets, { src: bg.src, image, source, dest, smoothing: 'default' }, scale, false);
      }
      if (bg.overlay) {
        ctx.fillStyle = bg.overlay;
        ctx.fillRect(0, 0, width, height);
      }
      return;
    }
  }
}

/** Fills (0, 0, width, height) with a linear or radial gradient background (scene pixels). */
function fillGradient(ctx: Context2D, bg: Extract<BackgroundPlan, { kind: 'linear_gradient' | 'radial_gradient' }>, width: number, height: number): void {
  let g;
  if (bg.kind === 'linear_gradient') {
    // CSS semantics: 0deg points up, 90deg right; the gradient line spans the box's projection.
    const a = (bg.angle * Math.PI) / 180;
    const dx = Math.sin(a);
    const dy = -Math.cos(a);
    const half = (Math.abs(width * dx) + Math.abs(height * dy)) / 2;
    const cx = width / 2;
    const cy = height / 2;
    g = ctx.createLinearGradient(cx - dx * half, cy - dy * half, cx + dx * half, cy + dy * half);
  } else {
    const cx = bg.center.x * width;
    const cy = bg.center.y * height;
    const r = Math.max(Math.hypot(cx, cy), Math.hypot(width - cx, cy), Math.hypot(cx, height - cy), Math.hypot(width - cx, height - cy));
    g = ctx.createRadialGradient(cx, cy, 0, cx, cy, r);
  }
  for (const s of bg.stops) g.addColorStop(s.offset, s.color);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
}
