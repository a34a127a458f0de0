import type { Context2D } from '../canvas.js';
import type { Rect } from '../layout/image-fit.js';

/** A rounded rectangle path; the radius is clamped to half the shorter side (so h/2 makes a pill). */
export function roundedRectPath(ctx: Context2D, r: Rect, radius: number): void {
  const rad = Math.max(0, Math.min(radius, r.w / 2, r.h / 2));
  ctx.beginPath();
  if (rad === 0) {
    ctx.rect(r.x, r.y, r.w, r.h);
    return;
  }
  ctx.moveTo(r.x + rad, r.y);
  ctx.arcTo(r.x + r.w, r.y, r.x + r.w, r.y + r.h, rad);
  ctx.arcTo(r.x + r.w, r.y + r.h, r.x, r.y + r.h, rad);
  ctx.arcTo(r.x, r.y + r.h, r.x, r.y, rad);
  ctx.arcTo(r.x, r.y, r.x + r.w, r.y, rad);
  ctx.closePath();
}

/** Run `draw` with the layer's rotation (about its centre) and opacity applied. */
export function withBoxTransform(
  ctx: Context2D,
  box: { x: number; y: number; width: number; height: number; rotation: number; opacity: number },
  draw: () => void,
): void {
  ctx.save();
  if (box.opacity < 1) ctx.globalAlpha = box.opacity;
  if (box.rotation) {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    ctx.translate(cx, cy);
    ctx.rotate((box.rotation * Math.PI) / 180);
    ctx.translate(-cx, -cy);
  }
  draw();
  ctx.restore();
}
