import { drawImage, type Context2D } from '../canvas.js';
import { alignContain } from '../layout/image-fit.js';
import type { LogoLayerPlan } from '../plan/types.js';
import { relativeLuminance8 } from '../resolve/color.js';
import type { AssetLookup } from './assets.js';

/**
 * Below this relative luminance, white reads better than black (the point where
 * both contrast ratios are equal, WCAG): the ground counts as dark.
 */
const DARK_GROUND_LUMINANCE = 0.179;

/** Mean luminance of what is already painted under a device-pixel rectangle. */
export function groundLuminance(ctx: Context2D, x: number, y: number, w: number, h: number): number {
  const ix = Math.max(0, Math.floor(x));
  const iy = Math.max(0, Math.floor(y));
  const iw = Math.max(1, Math.ceil(w));
  const ih = Math.max(1, Math.ceil(h));
  const { data } = ctx.getImageData(ix, iy, iw, ih);
  // Sample a grid rather than every pixel: enough for an average, cheap at 2×.
  const step = Math.max(1, Math.floor(Math.sqrt((iw * ih) / 4096)));
  let sum = 0;
  let count = 0;
  for (let py = 0; py < ih; py += step) {
    for (let px = 0; px < iw; px += step) {
      const i = (py * iw + px) * 4;
      sum += relativeLuminance8(data[i]!, data[i + 1]!, data[i + 2]!);
      count++;
    }
  }
  return count ? sum / count : 1;
}

export function chooseLogoVariant(layer: LogoLayerPlan, ctx: Context2D, scale: number): 'on_light' | 'on_dark' {
  if (layer.variant !== 'auto') return layer.variant;
  const { x, y, width, height } = layer.box;
  const lum = groundLuminance(ctx, x * scale, y * scale, width * scale, height * scale);
  return lum < DARK_GROUND_LUMINANCE ? 'on_dark' : 'on_light';
}

export function paintLogo(ctx: Context2D, layer: LogoLayerPlan, variant: 'on_light' | 'on_dark', scale: number, assets: AssetLookup): boolean {
  const src = variant === 'on_dark' ? layer.onDark : layer.onLight;
  const frame = { x: layer.box.x, y: layer.box.y, w: layer.box.width, h: layer.box.height };
  const image = assets.image(src, Math.round(frame.w * scale), Math.round(frame.h * scale));
  if (!image) return false;
  const dest = alignContain(image.width / image.height, frame, layer.align, layer.verticalAlign);
  drawImage(ctx, image, { x: 0, y: 0, w: image.width, h: image.height }, dest);
  return true;
}
