import type { Context2D } from '../canvas.js';
import type { ShapeLayerPlan } from '../plan/types.js';
import { roundedRectPath } from './path.js';

export function paintShape(ctx: Context2D, layer: ShapeLayerPlan): void {
  const { x, y, width: w, height: h } = layer.box;
  if (layer.shape === 'line') {
    // A line runs along the box's horizontal centre; its thickness is the box height.
    ctx.fillStyle = layer.fill ?? layer.stroke?.color ?? 'rgba(0,0,0,0)';
    roundedRectPath(ctx, { x, y, w, h }, layer.cornerRadius);
    ctx.fill();
    return;
  }
  // The stroke is drawn inside the box so the shape never grows past it.
  const inset = layer.stroke ? layer.stroke.width / 2 : 0;
  const r = { x: x + inset, y: y + inset, w: w - inset * 2, h: h - inset * 2 };
  if (layer.shape === 'ellipse') {
    ctx.beginPath();
    ctx.ellipse(r.x + r.w / 2, r.y + r.h / 2, Math.max(0, r.w / 2), Math.max(0, r.h / 2), 0, 0, Math.PI * 2);
  } else {
    roundedRectPath(ctx, r, Math.max(0, layer.cornerRadius - inset));
  }
  if (layer.fill) {
    ctx.fillStyle = layer.fill;
    ctx.fill();
  }
  if (layer.stroke) {
    ctx.strokeStyle = layer.stroke.color;
    ctx.lineWidth = layer.stroke.width;
    ctx.stroke();
  }
}
