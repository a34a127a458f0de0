/**
 * expand_image as a gradient-domain fill with texture on top: the smooth layer of the
 * fill is a membrane (push-pull interpolation, the discrete Laplace fill) of the
 * photo's smoothed background, so colour flows out of the photo's border and levels
 * off instead of being copied; the texture is the high-pass layer of the PatchMatch
 * fill (expand.ts), added over it. Near the photo (`handover` px) the PatchMatch
 * fill is kept as it is, since its seam is already corrected there.
 * One of the methods measured side by side in bench/expand.bench.ts.
 */
import { expandImage, type ExpandOptions } from './expand.js';
import { pushPull } from './fill.js';
import { boxBlur, resizeGray, resizeRgba } from './image.js';
import type { RawImage } from './types.js';

type Rect = { x: number; y: number; width: number; height: number };

export interface MembraneExpandOptions extends Pick<ExpandOptions, 'seed' | 'refine'> {
  /** Radius (frame px) splitting smooth layer and texture. Default 1.5 % of the frame diagonal, at least 4. */
  radius?: number;
  /** Distance (px) from the photo over which the PatchMatch fill hands over to membrane + texture. Default 24. */
  handover?: number;
}

export async function membraneExpand(photo: RawImage, alpha: Uint8Array, frame: { width: number; height: number }, rect: Rect, options: MembraneExpandOptions = {}): Promise<RawImage> {
  const textured = await expandImage(photo, alpha, frame, rect, { method: 'patchmatch', seed: options.seed ?? 1, ...(options.refine ? { refine: options.refine } : {}) });
  const W = frame.width, H = frame.height, N = W * H;
  const rw = Math.max(1, Math.round(rect.width)), rh = Math.max(1, Math.round(rect.height));
  const rx = Math.round(rect.x), ry = Math.round(rect.y);
  const scaled = await resizeRgba(photo, rw, rh, 'lanczos3');
  const salpha = await resizeGray(alpha, photo.width, photo.height, rw, rh);
  const radius = options.radius ?? Math.max(4, Math.round(Math.hypot(W, H) * 0.015));
  const handover = options.handover ?? 24;

  // The photo's background, the subject filled from around it, smoothed.
  const n = rw * rh;
  const bgw = new Float32Array(n);
  for (let i = 0; i < n; i++) bgw[i] = salpha[i]! > 8 ? 0 : 1;
  const planes = [0, 1, 2].map((c) => Float32Array.from({ length: n }, (_, i) => scaled.data[i * 4 + c]!));
  const background = pushPull(planes, bgw, rw, rh).map((p) => boxBlur(p, rw, rh, radius, 3));

  // Membrane over the frame, pinned to that background inside the photo.
  const values = [new Float32Array(N), new Float32Array(N), new Float32Array(N)];
  const known = new Float32Array(N);
  for (let y = Math.max(0, ry); y < Math.min(H, ry + rh); y++)
    for (let x = Math.max(0, rx); x < Math.min(W, rx + rw); x++) {
      const i = y * W + x, j = (y - ry) * rw + (x - rx);
      known[i] = 1;
      for (let c = 0; c < 3; c++) values[c]![i] = background[c]![j]!;
    }
  const membrane = pushPull(values, known, W, H).map((p) => boxBlur(p, W, H, radius, 2));
  // The textured fill's own smooth layer, to be swapped for the membrane.
  const own = [0, 1, 2].map((c) => boxBlur(Float32Array.from({ length: N }, (_, i) => textured.data[i * 4 + c]!), W, H, radius, 3));

  const out = textured.data.slice();
  for (let y = 0; y < H; y++) {
    const dy = y < ry ? ry - y : y >= ry + rh ? y - (ry + rh - 1) : 0;
    for (let x = 0; x < W; x++) {
      const d = Math.max(dy, x < rx ? rx - x : x >= rx + rw ? x - (rx + rw - 1) : 0);
      if (d === 0) continue;
      const k = Math.min(1, d / handover), i = y * W + x;
      for (let c = 0; c < 3; c++) {
        const v = out[i * 4 + c]! + k * (membrane[c]![i]! - own[c]![i]!);
        out[i * 4 + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  }
  return { data: out, width: W, height: H };
}
