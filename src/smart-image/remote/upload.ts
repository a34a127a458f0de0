/** Preparing pictures for provider uploads and fitting their answers back to our frames. */
import sharp from 'sharp';
import { sniff } from '../../net/sniff.js';
import { encodePng, resizeRgba } from '../image.js';
import type { RawImage } from '../types.js';

/**
 * Encoded bytes for an upload of at most `maxBytes`: the caller's original bytes
 * when they are PNG/JPEG/WebP and small enough, else PNG, else (opaque pictures
 * only) JPEG at falling quality.
 */
export async function uploadBytes(img: RawImage, maxBytes: number, original?: Uint8Array, keepAlpha = false): Promise<Buffer> {
  if (original && original.length <= maxBytes && ['png', 'jpeg', 'webp'].includes(sniff(original).type)) return Buffer.from(original);
  const png = await encodePng(img);
  if (png.length <= maxBytes || keepAlpha) return png;
  for (const quality of [92, 85, 75]) {
    const jpg = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).flatten().jpeg({ quality }).toBuffer();
    if (jpg.length <= maxBytes) return jpg;
  }
  return png;
}

/** The answer at exactly the frame size (providers may round sizes). */
export async function fitToFrame(img: RawImage, frame: { width: number; height: number }): Promise<RawImage> {
  return img.width === frame.width && img.height === frame.height ? img : resizeRgba(img, frame.width, frame.height);
}

/** The bounding box of alpha > 8 with a small margin, or null when the picture is empty. */
export function alphaBox(img: RawImage): { x: number; y: number; width: number; height: number } | null {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      if (img.data[(y * img.width + x) * 4 + 3]! > 8) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
  if (x1 < 0) return null;
  const m = Math.max(2, Math.round(Math.max(x1 - x0, y1 - y0) * 0.01));
  x0 = Math.max(0, x0 - m);
  y0 = Math.max(0, y0 - m);
  x1 = Math.min(img.width - 1, x1 + m);
  y1 = Math.min(img.height - 1, y1 + m);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** A copy of a rectangle of an RGBA picture. */
export function crop(img: RawImage, box: { x: number; y: number; width: number; height: number }): RawImage {
  const data = new Uint8Array(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.y + y) * img.width + box.x) * 4;
    data.set(img.data.subarray(from, from + box.width * 4), y * box.width * 4);
  }
  return { data, width: box.width, height: box.height };
}
