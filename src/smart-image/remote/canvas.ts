/**
 * Canvas work shared by the painting providers (OpenAI-compatible, SD WebUI): where
 * the cut-out subject goes in the frame, and masks that say which pixels are kept
 * and which the model paints. The kept pixels are always drawn again from our own
 * copy afterwards, so a provider can never alter the product or the photo.
 */
import { newImage } from '../image.js';
import type { RawImage } from '../types.js';
import { ProviderError } from './errors.js';
import { alphaBox } from './upload.js';

export type Rect = { x: number; y: number; width: number; height: number };
type Rgba = [number, number, number, number];

/**
 * The subject's bounding box in the photo-sized subject picture and where that box
 * lands in the frame (frame pixels, not rounded). `place` is where the whole
 * photo-sized picture goes (the service's placement); the full frame when absent.
 */
export function placeCutout(provider: string, what: string, subject: RawImage, frame: { width: number; height: number }, place?: Rect): { box: Rect; where: Rect } {
  const box = alphaBox(subject);
  if (!box) throw new ProviderError(provider, 'malformed', `${what}: the cut-out is empty; nothing to place`);
  const at = place ?? { x: 0, y: 0, width: frame.width, height: frame.height };
  const k = at.width / subject.width;
  return { box, where: { x: at.x + box.x * k, y: at.y + box.y * k, width: box.width * k, height: box.height * k } };
}

/** A copy with every pixel fully opaque (a photo drawn back must not let the painting show through). */
export function opaque(img: RawImage): RawImage {
  const data = img.data.slice();
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { data, width: img.width, height: img.height };
}

/** A mask of `keep`'s size: `kept` where its alpha is ≥ 128, `painted` elsewhere. */
export function alphaMask(keep: RawImage, kept: Rgba, painted: Rgba): RawImage {
  const out = newImage(keep.width, keep.height, painted);
  for (let i = 3; i < keep.data.length; i += 4) if (keep.data[i]! >= 128) out.data.set(kept, i - 3);
  return out;
}
