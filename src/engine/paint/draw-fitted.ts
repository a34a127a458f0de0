import { drawImage, type Context2D, type DrawableImage } from '../canvas.js';
import type { Rect } from '../layout/image-fit.js';
import type { AssetLookup, Smoothing } from './assets.js';

/**
 * Draws `source` of an image into `dest` (scene pixels) with the given smoothing. When the layer is not
 * rotated and the host keeps resampled bitmaps, the resampling is done once at the destination's device
 * resolution and painting copies those pixels 1:1 (no filtering: the bitmap is already on the pixel grid).
 * Otherwise (rotation, or a host without the cache, such as the browser) the image is resampled here.
 * The context's smoothing settings are left as they were.
 */
export function drawFitted(
  ctx: Context2D,
  assets: AssetLookup,
  draw: { src: string; image: DrawableImage; source: Rect; dest: Rect; smoothing: Smoothing },
  scale: number,
  rotated: boolean,
): void {
  const { src, image, source, dest, smoothing } = draw;
  ctx.save();
  const bitmap = !rotated && assets.resampled ? assets.resampled(src, image, source, { x: dest.x * scale, y: dest.y * scale, w: dest.w * scale, h: dest.h * scale }, smoothing) : undefined;
  if (bitmap) {
    ctx.imageSmoothingEnabled = false;
    const { width, height } = bitmap.image;
    drawImage(ctx, bitmap.image, { x: 0, y: 0, w: width, h: height }, { x: bitmap.x / scale, y: bitmap.y / scale, w: width / scale, h: height / scale });
  } else {
    if (smoothing !== 'default') {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = smoothing;
    }
    drawImage(ctx, image, source, dest);
  }
  ctx.restore();
}
