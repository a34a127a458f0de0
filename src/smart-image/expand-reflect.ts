import { boxBlur, resizeGray, resizeRgba } from './image.js';
import { pushPull } from './fill.js';
import type { RawImage } from './types.js';

export interface ReflectExpandOptions {
  /** Radius (px, frame scale) splitting the photo into a smooth base and its texture. Default: 0.8 % of the frame diagonal, at least 4. */
  detailRadius?: number;
}

/** Reflect coordinate v into [0, n) (mirror at both ends, repeating). */
export function reflect(v: number, n: number): number {
  if (n <= 1) return 0;
  const p = 2 * n - 2;
  let m = v % p;
  if (m < 0) m += p;
  return m < n ? m : p - m;
}

/**
 * Extend a photo's own background to a frame of any aspect — the earlier,
 * reflection-based method (kept as the fallback for photos with too little
 * background to copy from, and as the peer the expand bench compares against).
 *
 * The photo is drawn at `rect` (frame pixels, may reach outside the frame). Outside
 * it, each pixel = a smooth base (push-pull membrane interpolated from the photo's
 * background pixels, so colour and gradients continue without a seam) + the
 * photo's texture (its high-pass layer) mirrored about the photo's edges, with the
 * subject's pixels (from the cut-out matte) left out of both so no ghost of the
 * subject appears. Texture fades with distance from the photo only where the
 * mirrored source falls on the subject.
 */
export async function reflectExpand(
  photo: RawImage,
  alpha: Uint8Array,
  frame: { width: number; height: number },
  rect: { x: number; y: number; width: number; height: number },
  options: ReflectExpandOptions = {},
): Promise<RawImage> {
  const W = frame.width, H = frame.height;
  const rw = Math.max(1, Math.round(rect.width)), rh = Math.max(1, Math.round(rect.height));
  const rx = Math.round(rect.x), ry = Math.round(rect.y);
  const scaled = await resizeRgba(photo, rw, rh, 'lanczos3');
  const salpha = await resizeGray(alpha, photo.width, photo.height, rw, rh);
  const n = rw * rh;

  // Background weight in photo space: 0 on the subject (grown by a margin), 1 elsewhere.
  const subj = new Float32Array(n);
  for (let i = 0; i < n; i++) subj[i] = salpha[i]! > 8 ? 1 : 0;
  const grow = Math.max(2, Math.round(Math.max(rw, rh) / 100));
  const grown = boxBlur(subj, rw, rh, grow, 1);
  const bgw = new Float32Array(n);
  for (let i = 0; i < n; i++) bgw[i] = grown[i]! > 0.001 ? 0 : 1;

  // Split the photo into base + detail (detail kept only on background pixels).
  const radius = options.detailRadius ?? Math.max(4, Math.round(Math.hypot(W, H) * 0.008));
  const planes = [0, 1, 2].map((c) => {
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) p[i] = scaled.data[i * 4 + c]!;
    return p;
  });
  // Base of the background only: fill the subject hole first so it does not bleed.
  const bgFilled = pushPull(planes, bgw, rw, rh);
  const base = bgFilled.map((p) => boxBlur(p, rw, rh, radius, 3));
  const detail = planes.map((p, c) => {
    const d = new Float32Array(n);
    const b = base[c]!;
    for (let i = 0; i < n; i++) d[i] = (p[i]! - b[i]!) * bgw[i]!;
    return d;
  });

  // Frame-level smooth base: known inside the photo rect (background base), filled outside.
  const N = W * H;
  const fv = [new Float32Array(N), new Float32Array(N), new Float32Array(N)];
  const fw = new Float32Array(N);
  for (let y = Math.max(0, ry); y < Math.min(H, ry + rh); y++) {
    for (let x = Math.max(0, rx); x < Math.min(W, rx + rw); x++) {
      const j = (y - ry) * rw + (x - rx), i = y * W + x;
      fw[i] = 1;
      for (let c = 0; c < 3; c++) fv[c]![i] = base[c]![j]!;
    }
  }
  const fb = pushPull(fv, fw, W, H);

  const blend = radius * 6;
  const out = new Uint8Array(N * 4);
  for (let y = 0; y < H; y++) {
    const py = y - ry;
    const inY = py >= 0 && py < rh;
    const sy = inY ? py : reflect(py, rh);
    for (let x = 0; x < W; x++) {
      const i = y * W + x, o = i * 4;
      const px = x - rx;
      out[o + 3] = 255;
      if (inY && px >= 0 && px < rw) {
        const j = (py * rw + px) * 4;
        out[o] = scaled.data[j]!;
        out[o + 1] = scaled.data[j + 1]!;
        out[o + 2] = scaled.data[j + 2]!;
        continue;
      }
      const sx = px >= 0 && px < rw ? px : reflect(px, rw);
      const j = sy * rw + sx;
      // Near the photo the mirrored base is exact (continuous by construction);
      // farther out the push-pull membrane takes over.
      const dist = Math.max(px < 0 ? -px : px >= rw ? px - rw + 1 : 0, py < 0 ? -py : py >= rh ? py - rh + 1 : 0);
      const k = Math.max(0, 1 - dist / blend);
      for (let c = 0; c < 3; c++) {
        const v = fb[c]![i]! * (1 - k) + base[c]![j]! * k + detail[c]![j]!;
        out[o + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  }
  return { data: out, width: W, height: H };
}
