import type { Context2D } from '../canvas.js';
import { fitImage } from '../layout/image-fit.js';
import type { ImageLayerPlan, SmartImageLayerPlan } from '../plan/types.js';
import type { AssetLookup } from './assets.js';
import { drawFitted } from './draw-fitted.js';
import { roundedRectPath } from './path.js';

/** An image in its frame: optional backdrop, cover/contain around the focal point, rounded corners. */
export function paintImage(ctx: Context2D, layer: ImageLayerPlan | SmartImageLayerPlan, scale: number, assets: AssetLookup): boolean {
  const frame = { x: layer.box.x, y: layer.box.y, w: layer.box.width, h: layer.box.height };
  const image = assets.image(layer.src, Math.round(frame.w * scale), Math.round(frame.h * scale));
  ctx.save();
  roundedRectPath(ctx, frame, layer.cornerRadius);
  ctx.clip();
  if (layer.background) {
    ctx.fillStyle = layer.background;
    ctx.fillRect(frame.x, frame.y, frame.w, frame.h);
  }
  if (image) {
    const { source, dest } = fitImage(image, frame, layer.fit, layer.focal);
    drawFitted(ctx, assets, { src: layer.src, image, source, dest, smoothing: 'high' }, scale, layer.box.rotation !== 0);
  }
  ctx.restore();
  return image !== undefined;
}
