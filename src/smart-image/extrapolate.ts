/**
 * The low-frequency half of expand_image. Copying patches (PatchMatch) reproduces
 * texture but cannot continue a smooth ramp: past the photo's border it can only
 * copy colours the photo has, so a light falloff or a backdrop gradient folds back
 * (a visible crease). Here the photo's smooth layer (its blurred background) is
 * continued outward instead — each hole pixel takes the value and the outward slope
 * at the nearest border point, the slope's effect levelling off with distance — and
 * the fill's own smooth layer is swapped for it. Rows of planks keep their tone,
 * gradients keep going, and the copied texture rides on top.
 */
import { pushPull } from './fill.js';

/** What `lowFrequencyShift` needs of a pyramid level (see expand.ts). */
export interface SmoothLevel {
  /** Frame RGB at this level, hole pixels holding the synthesised estimate. */
  T: Uint8Array;
  W: number;
  H: number;
  known: Uint8Array;
  /** The photo at this level, RGB, and its subject mask. */
  P: Uint8Array;
  pw: number;
  ph: number;
  subject: Uint8Array;
  /** The photo's top-left in this level's frame pixels. */
  ox: number;
  oy: number;
}

export interface ShiftOptions {
  /** Blur radius (level pixels) separating the smooth layer from texture. */
  radius: number;
  /** Distance (level pixels) over which the border slope's effect levels off. */
  decay: number;
  /** Largest total change the slope may add, in 8-bit levels. */
  maxChange: number;
}

/**
 * Per-channel planes (W×H): for hole pixels, the continued smooth layer minus the
 * fill's smooth layer (add it to the fill); 0 on known pixels.
 */
export function lowFrequencyShift(L: SmoothLevel, o: ShiftOptions): Float32Array[] {
  const { W, H, pw, ph } = L;
  const np = pw * ph, n = W * H;
  // The photo's background with the subject filled from around it, then blurred.
  const bgWeight = new Float32Array(np);
  for (let i = 0; i < np; i++) bgWeight[i] = L.subject[i] ? 0 : 1;
  const planes = [0, 1, 2].map((c) => {
    const p = new Float32Array(np);
    for (let i = 0; i < np; i++) p[i] = L.P[i * 3 + c]!;
    return p;
  });
  const background = pushPull(planes, bgWeight, pw, ph);
  const base = background.map((p) => edgeBlur(p, pw, ph, o.radius));

  // The fill's smooth layer: the frame with the subject replaced by that background, blurred.
  let x0 = W, x1 = -1, y0 = H, y1 = -1;
  const frame = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (L.known[i]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        const j = photoIndex(L, x, y);
        for (let c = 0; c < 3; c++) frame[c]![i] = L.subject[j] ? background[c]![j]! : L.T[i * 3 + c]!;
      } else for (let c = 0; c < 3; c++) frame[c]![i] = L.T[i * 3 + c]!;
    }
  const low = frame.map((p) => edgeBlur(p, W, H, o.radius));
  const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  if (x1 < 0) return out;

  const w = Math.max(1, Math.round(o.radius));
  const level = (d: number) => o.decay * (1 - Math.exp(-d / o.decay));
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (L.known[i]) continue;
      const cx = x < x0 ? x0 : x > x1 ? x1 : x, cy = y < y0 ? y0 : y > y1 ? y1 : y;
      const dx = x < x0 ? x0 - x : x > x1 ? x - x1 : 0, dy = y < y0 ? y0 - y : y > y1 ? y - y1 : 0;
      const j = photoIndex(L, cx, cy);
      // Step inward from the border point to read the outward slope.
      const jx = dx === 0 ? j : photoIndex(L, x < x0 ? Math.min(x1, cx + w) : Math.max(x0, cx - w), cy);
      const jy = dy === 0 ? j : photoIndex(L, cx, y < y0 ? Math.min(y1, cy + w) : Math.max(y0, cy - w));
      const kx = dx === 0 ? 0 : level(dx) / w, ky = dy === 0 ? 0 : level(dy) / w;
      for (let c = 0; c < 3; c++) {
        const b = base[c]!;
        const change = (b[j]! - b[jx]!) * kx + (b[j]! - b[jy]!) * ky;
        const ext = b[j]! + (change > o.maxChange ? o.maxChange : change < -o.maxChange ? -o.maxChange : change);
        out[c]![i] = (ext < 0 ? 0 : ext > 255 ? 255 : ext) - low[c]![i]!;
      }
    }
  return out;
}

/**
 * Three passes of a box blur that averages only the pixels inside the picture (no
 * edge replication): near an edge, a replicated edge column (a mortar line, a stripe)
 * would weigh as much as everything else and fake a slope at the border.
 */
export function edgeBlur(src: Float32Array, w: number, h: number, radius: number): Float32Array {
  const r = Math.max(1, Math.round(radius));
  const a = src.slice();
  const b = new Float32Array(a.length);
  for (let pass = 0; pass < 3; pass++) {
    for (let y = 0; y < h; y++) blurRun(a, b, y * w, 1, w, r);
    for (let x = 0; x < w; x++) blurRun(b, a, x, w, h, r);
  }
  return a;
}

function blurRun(src: Float32Array, dst: Float32Array, start: number, step: number, n: number, r: number): void {
  let acc = 0, lo = 0, hi = -1;
  for (let i = 0; i < n; i++) {
    const want = Math.min(n - 1, i + r);
    while (hi < want) acc += src[start + ++hi * step]!;
    while (lo < i - r) acc -= src[start + lo++ * step]!;
    dst[start + i * step] = acc / (hi - lo + 1);
  }
}

/** The photo pixel under frame pixel (x, y) at this level, clamped into the photo. */
function photoIndex(L: SmoothLevel, x: number, y: number): number {
  const px = Math.min(L.pw - 1, Math.max(0, Math.round(x - L.ox)));
  const py = Math.min(L.ph - 1, Math.max(0, Math.round(y - L.oy)));
  return py * L.pw + px;
}

/** Bilinear sample of a plane defined on a coarser grid (`scale` fine pixels per coarse pixel). */
export function sampleCoarse(plane: Float32Array, cw: number, ch: number, scale: number, x: number, y: number): number {
  const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / scale - 0.5)), fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / scale - 0.5));
  const xa = Math.floor(fx), ya = Math.floor(fy), xb = Math.min(cw - 1, xa + 1), yb = Math.min(ch - 1, ya + 1);
  const tx = fx - xa, ty = fy - ya;
  return (plane[ya * cw + xa]! * (1 - tx) + plane[ya * cw + xb]! * tx) * (1 - ty) + (plane[yb * cw + xa]! * (1 - tx) + plane[yb * cw + xb]! * tx) * ty;
}
