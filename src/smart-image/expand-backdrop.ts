/**
 * expand_image as a designed backdrop rather than a synthesised continuation: the
 * photo's own background (the subject, from the cut-out matte, filled from around it,
 * so no ghost of it can appear), continued over the whole frame as a membrane at the
 * photo's scale, blurred strongly, a little darker and less saturated; the photo itself stays sharp on
 * top, faded into it over a feathered edge. Nothing is copied patch by patch, so there
 * are no streaks, blocks or clones and no seam to hide; what it gives up is texture
 * (the fill is deliberately soft). `fadeToBackdrop` uses the same backdrop far from the
 * photo under a PatchMatch fill that keeps the texture near it.
 * Measured side by side with the other methods in bench/expand.bench.ts.
 */
import sharp from 'sharp';
import { pushPull } from './fill.js';
import { boxBlur, resizeGray, resizeRgba } from './image.js';
import type { RawImage } from './types.js';

type Rect = { x: number; y: number; width: number; height: number };

export interface BackdropOptions {
  /** Blur radius of the backdrop, as a fraction of the photo's shorter side on screen. Default 0.2. */
  blur?: number;
  /** Brightness of the backdrop (1 = unchanged). Default 0.92. */
  dim?: number;
  /** Saturation of the backdrop (1 = unchanged). Default 0.85. */
  saturation?: number;
}

export interface BackdropExpandOptions extends BackdropOptions {
  /** Width of the photo's feathered edge, as a fraction of its shorter side. Default 0.08. */
  feather?: number;
}

/** Longer side (px) the backdrop is built at before it is scaled up: it is blurred anyway. */
const WORK_SIDE = 320;

/** The blurred backdrop alone, at the frame's size (RGBA, opaque). */
export async function blurredBackdrop(photo: RawImage, alpha: Uint8Array, frame: { width: number; height: number }, rect: Rect, options: BackdropOptions = {}): Promise<RawImage> {
  const W = frame.width, H = frame.height;
  const s = Math.min(1, WORK_SIDE / Math.max(W, H));
  const w = Math.max(1, Math.round(W * s)), h = Math.max(1, Math.round(H * s));
  const pw = Math.max(1, Math.round(rect.width * s)), ph = Math.max(1, Math.round(rect.height * s));
  const px0 = Math.round(rect.x * s), py0 = Math.round(rect.y * s);
  const small = await resizeRgba(photo, pw, ph, 'linear');
  const salpha = await resizeGray(alpha, photo.width, photo.height, pw, ph);
  const n = pw * ph;
  const weight = Float32Array.from(salpha, (a) => (a > 8 ? 0 : 1));
  const planes = [0, 1, 2].map((c) => Float32Array.from({ length: n }, (_, i) => small.data[i * 4 + c]!));
  // All subject (nothing to continue): the photo's own mean colour, from every pixel.
  const background = weight.some((v) => v > 0) ? pushPull(planes, weight, pw, ph) : pushPull(planes, new Float32Array(n).fill(1), pw, ph);
  const radius = Math.max(2, (options.blur ?? 0.2) * Math.min(pw, ph));
  const dim = options.dim ?? 0.92, sat = options.saturation ?? 0.85;
  // The frame: the background where the photo is, a membrane (push-pull) outside it —
  // smooth, with nothing repeated (mirrored copies gave a regular pattern of blobs that
  // the cut-out model read as objects: baboon.jpg 0.077, grace_hopper.jpg 0.033).
  const known = new Float32Array(w * h);
  const values = [0, 1, 2].map((c) => {
    const p = new Float32Array(w * h);
    for (let y = Math.max(0, py0); y < Math.min(h, py0 + ph); y++)
      for (let x = Math.max(0, px0); x < Math.min(w, px0 + pw); x++) {
        p[y * w + x] = background[c]![(y - py0) * pw + (x - px0)]!;
        known[y * w + x] = 1;
      }
    return p;
  });
  const frameSmall = pushPull(values, known, w, h).map((p) => boxBlur(p, w, h, radius, 3));
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const r = frameSmall[0]![i]!, g = frameSmall[1]![i]!, b = frameSmall[2]![i]!;
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    data[i * 4] = clamp((l + (r - l) * sat) * dim);
    data[i * 4 + 1] = clamp((l + (g - l) * sat) * dim);
    data[i * 4 + 2] = clamp((l + (b - l) * sat) * dim);
    data[i * 4 + 3] = 255;
  }
  if (w === W && h === H) return { data, width: W, height: H };
  const buf = await sharp(data, { raw: { width: w, height: h, channels: 4 } }).resize(W, H, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
  return { data: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), width: W, height: H };
}

/** The photo, sharp, over the blurred backdrop, its sides that have backdrop beyond them feathered. */
export async function backdropExpand(photo: RawImage, alpha: Uint8Array, frame: { width: number; height: number }, rect: Rect, options: BackdropExpandOptions = {}): Promise<RawImage> {
  const out = await blurredBackdrop(photo, alpha, frame, rect, options);
  const W = frame.width, H = frame.height;
  const rw = Math.max(1, Math.round(rect.width)), rh = Math.max(1, Math.round(rect.height));
  const rx = Math.round(rect.x), ry = Math.round(rect.y);
  const scaled = await resizeRgba(photo, rw, rh, 'lanczos3');
  const f = Math.max(2, Math.round((options.feather ?? 0.08) * Math.min(rw, rh)));
  const fadeL = rx > 0, fadeR = rx + rw < W, fadeT = ry > 0, fadeB = ry + rh < H;
  for (let py = Math.max(0, -ry); py < Math.min(rh, H - ry); py++) {
    const dy = Math.min(fadeT ? py : Infinity, fadeB ? rh - 1 - py : Infinity);
    for (let px = Math.max(0, -rx); px < Math.min(rw, W - rx); px++) {
      const d = Math.min(dy, fadeL ? px : Infinity, fadeR ? rw - 1 - px : Infinity);
      const t = d >= f ? 1 : smoothstep((d + 0.5) / f);
      const o = ((py + ry) * W + px + rx) * 4, s = (py * rw + px) * 4;
      for (let c = 0; c < 3; c++) out.data[o + c] = scaled.data[s + c]! * t + out.data[o + c]! * (1 - t) + 0.5;
    }
  }
  return out;
}

/**
 * A filled frame handed over to the blurred backdrop with distance from the photo:
 * the fill as it is up to `near` × the photo's shorter side, from `far` × it the
 * backdrop plus the fill's finest grain (its detail below ≈ 2 px: film grain, not the
 * blocks and streaks copied patches break up into far from the photo), smoothstep
 * between. Near the photo the texture continues it (the seam is the fill's). The
 * photo's pixels are not touched. In place.
 */
export function fadeToBackdrop(filled: RawImage, backdrop: RawImage, rect: Rect, near = 0.08, far = 0.35): RawImage {
  const W = filled.width, H = filled.height;
  const rw = Math.max(1, Math.round(rect.width)), rh = Math.max(1, Math.round(rect.height));
  const rx = Math.round(rect.x), ry = Math.round(rect.y);
  const d0 = near * Math.min(rw, rh), d1 = Math.max(d0 + 1, far * Math.min(rw, rh));
  const smooth = [0, 1, 2].map((c) => boxBlur(Float32Array.from({ length: W * H }, (_, i) => filled.data[i * 4 + c]!), W, H, GRAIN_RADIUS, 2));
  for (let y = 0; y < H; y++) {
    const dy = y < ry ? ry - y : y >= ry + rh ? y - (ry + rh - 1) : 0;
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(dy, x < rx ? rx - x : x >= rx + rw ? x - (rx + rw - 1) : 0);
      if (d <= d0) continue;
      const k = d >= d1 ? 1 : smoothstep((d - d0) / (d1 - d0)), i = y * W + x, o = i * 4;
      for (let c = 0; c < 3; c++) {
        const v = filled.data[o + c]!;
        filled.data[o + c] = clamp(v * (1 - k) + (backdrop.data[o + c]! + v - smooth[c]![i]!) * k);
      }
    }
  }
  return filled;
}

/** Radius (px) below which the fill's detail is kept over the backdrop as grain. */
const GRAIN_RADIUS = 1;

function clamp(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
}

function smoothstep(t: number): number {
  return t * t * (3 - 2 * t);
}
