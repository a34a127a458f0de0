import { createHash } from 'node:crypto';
import sharp, { type Metadata, type KernelEnum } from 'sharp';
import type { RawImage } from './types.js';

/** Largest decoded photo accepted, in pixels (about 40 megapixels). */
export const MAX_INPUT_PIXELS = 40_000_000;

export class SmartImageInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SmartImageInputError';
  }
}

export function sha256(...parts: (Uint8Array | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** Decode any image sharp reads into RGBA; EXIF orientation applied. */
export async function decodeImage(bytes: Uint8Array, field = 'smart_image.input_image_url', maxPixels = MAX_INPUT_PIXELS): Promise<RawImage> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new SmartImageInputError(field, `is not an image Adsmith can read (${(e as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new SmartImageInputError(field, 'is not an image Adsmith can read (no size)');
  if (meta.width * meta.height > maxPixels)
    throw new SmartImageInputError(field, `is ${meta.width}×${meta.height} pixels; at most ${maxPixels} pixels are accepted`);
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Resize RGBA (sharp premultiplies internally, so edges do not darken). */
export async function resizeRgba(img: RawImage, width: number, height: number, kernel: keyof KernelEnum = 'lanczos3'): Promise<RawImage> {
  width = Math.max(1, Math.round(width));
  height = Math.max(1, Math.round(height));
  if (width === img.width && height === img.height) return { data: img.data.slice(), width, height };
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } })
    .resize(width, height, { fit: 'fill', kernel })
    .raw()
    .toBuffer();
  return { data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), width, height };
}

/** Resize a one-channel plane. */
export async function resizeGray(plane: Uint8Array, w: number, h: number, width: number, height: number): Promise<Uint8Array> {
  const buf = await sharp(plane, { raw: { width: w, height: h, channels: 1 } })
    .resize(Math.round(width), Math.round(height), { fit: 'fill', kernel: 'linear' })
    .extractChannel(0) // sharp widens one channel to sRGB otherwise
    .raw()
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export async function encodePng(img: RawImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).png({ compressionLevel: 3 }).toBuffer();
}

export function newImage(width: number, height: number, rgba: [number, number, number, number] = [0, 0, 0, 0]): RawImage {
  const data = new Uint8Array(width * height * 4);
  if (rgba.some((v) => v !== 0)) for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
  return { data, width, height };
}

export function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const f = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  return [parseInt(f.slice(0, 2), 16), parseInt(f.slice(2, 4), 16), parseInt(f.slice(4, 6), 16)];
}

/** Draw `src` over `dst` at integer offset (source-over, unpremultiplied in/out; a transparent dst, a layer, is composited exactly). */
export function drawOver(dst: RawImage, src: RawImage, ox: number, oy: number, opacity = 1): void {
  const x0 = Math.max(0, ox), y0 = Math.max(0, oy);
  const x1 = Math.min(dst.width, ox + src.width), y1 = Math.min(dst.height, oy + src.height);
  const d = dst.data, s = src.data;
  for (let y = y0; y < y1; y++) {
    let si = ((y - oy) * src.width + (x0 - ox)) * 4;
    let di = (y * dst.width + x0) * 4;
    for (let x = x0; x < x1; x++, si += 4, di += 4) {
      const a = (s[si + 3]! / 255) * opacity;
      if (a <= 0) continue;
      const b = 1 - a;
      const da = d[di + 3]!;
      if (da < 255) {
        const k = (da / 255) * b;
        const out = a + k;
        d[di] = (s[si]! * a + d[di]! * k) / out + 0.5;
        d[di + 1] = (s[si + 1]! * a + d[di + 1]! * k) / out + 0.5;
        d[di + 2] = (s[si + 2]! * a + d[di + 2]! * k) / out + 0.5;
        d[di + 3] = out * 255 + 0.5;
        continue;
      }
      d[di] = s[si]! * a + d[di]! * b + 0.5;
      d[di + 1] = s[si + 1]! * a + d[di + 1]! * b + 0.5;
      d[di + 2] = s[si + 2]! * a + d[di + 2]! * b + 0.5;
      d[di + 3] = 255 - (255 - d[di + 3]!) * b;
    }
  }
}

/** Separable box blur of a float plane, `passes` times (≈ Gaussian with 3 passes). */
export function boxBlur(src: Float32Array, w: number, h: number, radius: number, passes = 3): Float32Array {
  const a = src.slice();
  const b = new Float32Array(a.length);
  const r = Math.max(1, Math.round(radius));
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < h; y++) blurLine(a, b, y * w, 1, w, r);
    for (let x = 0; x < w; x++) blurLine(b, a, x, w, h, r);
  }
  return a;
}

function blurLine(src: Float32Array, dst: Float32Array, start: number, step: number, n: number, r: number): void {
  const norm = 1 / (2 * r + 1);
  let acc = 0;
  for (let i = -r; i <= r; i++) acc += src[start + Math.min(n - 1, Math.max(0, i)) * step]!;
  for (let i = 0; i < n; i++) {
    dst[start + i * step] = acc * norm;
    const add = Math.min(n - 1, i + r + 1), sub = Math.max(0, i - r);
    acc += src[start + add * step]! - src[start + sub * step]!;
  }
}
