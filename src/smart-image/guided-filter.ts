/**
 * The guided filter (He, Sun and Tang, "Guided Image Filtering", ECCV 2010 / TPAMI 2013),
 * colour guide, in its fast form (He and Sun, "Fast Guided Filter", 2015): the local
 * linear coefficients are computed on a copy subsampled by `s` and upsampled bilinearly,
 * so a 2560-px photo costs what a 640-px one does and holds ~20 planes of 640² floats,
 * not of 2560² (the models thread's RSS budget).
 *
 * In each window the output is a linear function of the guide's colour, q = a·I + b,
 * fitted to the input p (here a matte) by least squares with ridge `eps`: where the
 * photo has an edge the matte's edge snaps to it, where the photo is flat the matte is
 * smoothed. Colour, not grey: a cat's fur and the wall behind it often have the same
 * brightness and differ only in hue.
 */
import { boxBlur } from './image.js';
import type { RawImage } from './types.js';

export interface GuidedFilterOptions {
  /** Window radius in full-resolution pixels. */
  radius: number;
  /** Ridge on the guide's covariance, in (0…1 colour)²: larger smooths more, smaller follows the guide more. */
  eps: number;
  /** Subsampling factor for the coefficients (1: the exact filter). */
  subsample?: number;
}

/** Area-average an RGBA photo's colour to 0…1 planes at 1/s size (a partial last block averages what it has). */
function guidePlanes(img: RawImage, s: number): { planes: Float32Array[]; w: number; h: number } {
  const w = Math.ceil(img.width / s), h = Math.ceil(img.height / s);
  const planes = [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)];
  const count = new Float32Array(w * h);
  for (let y = 0; y < img.height; y++) {
    const row = ((y / s) | 0) * w;
    for (let x = 0; x < img.width; x++) {
      const j = row + ((x / s) | 0), i = (y * img.width + x) * 4;
      planes[0]![j]! += img.data[i]!;
      planes[1]![j]! += img.data[i + 1]!;
      planes[2]![j]! += img.data[i + 2]!;
      count[j]!++;
    }
  }
  for (const p of planes) for (let j = 0; j < p.length; j++) p[j] = p[j]! / (count[j]! * 255);
  return { planes, w, h };
}

function downsample(p: Float32Array, width: number, height: number, s: number): Float32Array {
  if (s === 1) return p;
  const w = Math.ceil(width / s), h = Math.ceil(height / s);
  const out = new Float32Array(w * h), count = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = ((y / s) | 0) * w;
    for (let x = 0; x < width; x++) {
      const j = row + ((x / s) | 0);
      out[j]! += p[y * width + x]!;
      count[j]!++;
    }
  }
  for (let j = 0; j < out.length; j++) out[j] = out[j]! / count[j]!;
  return out;
}

/**
 * Guided filter of `p` (one float a pixel at the guide's size) with the guide's colour.
 * Answers q at full resolution; `only`, when given, limits the full-resolution pass to
 * the pixels it marks (others are left 0), since a matte needs it only on its edge band.
 */
export function guidedFilter(guide: RawImage, p: Float32Array, options: GuidedFilterOptions, only?: Uint8Array): Float32Array {
  const { width: W, height: H } = guide;
  if (p.length !== W * H) throw new Error(`guidedFilter: input has ${p.length} values, the guide ${W}×${H} pixels`);
  const s = Math.max(1, Math.round(options.subsample ?? 1));
  const r = Math.max(1, Math.round(options.radius / s));
  const eps = options.eps;
  const { planes: [Ir, Ig, Ib], w, h } = guidePlanes(guide, s) as { planes: [Float32Array, Float32Array, Float32Array]; w: number; h: number };
  const ps = downsample(p, W, H, s);
  const n = w * h;
  const mean = (x: Float32Array) => boxBlur(x, w, h, r, 1);
  const prod = (a: Float32Array, b: Float32Array) => {
    const o = new Float32Array(n);
    for (let i = 0; i < n; i++) o[i] = a[i]! * b[i]!;
    return o;
  };
  const mR = mean(Ir), mG = mean(Ig), mB = mean(Ib), mP = mean(ps);
  const mRP = mean(prod(Ir, ps)), mGP = mean(prod(Ig, ps)), mBP = mean(prod(Ib, ps));
  const mRR = mean(prod(Ir, Ir)), mRG = mean(prod(Ir, Ig)), mRB = mean(prod(Ir, Ib));
  const mGG = mean(prod(Ig, Ig)), mGB = mean(prod(Ig, Ib)), mBB = mean(prod(Ib, Ib));
  const aR = new Float32Array(n), aG = new Float32Array(n), aB = new Float32Array(n), b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const mr = mR[i]!, mg = mG[i]!, mb = mB[i]!, mp = mP[i]!;
    const cr = mRP[i]! - mr * mp, cg = mGP[i]! - mg * mp, cb = mBP[i]! - mb * mp;
    // Σ + eps·U, symmetric 3×3; solved by its adjugate.
    const rr = mRR[i]! - mr * mr + eps, rg = mRG[i]! - mr * mg, rb = mRB[i]! - mr * mb;
    const gg = mGG[i]! - mg * mg + eps, gb = mGB[i]! - mg * mb, bb = mBB[i]! - mb * mb + eps;
    const i00 = gg * bb - gb * gb, i01 = rb * gb - rg * bb, i02 = rg * gb - rb * gg;
    const i11 = rr * bb - rb * rb, i12 = rb * rg - rr * gb, i22 = rr * gg - rg * rg;
    const det = rr * i00 + rg * i01 + rb * i02;
    const ar = (i00 * cr + i01 * cg + i02 * cb) / det;
    const ag = (i01 * cr + i11 * cg + i12 * cb) / det;
    const ab = (i02 * cr + i12 * cg + i22 * cb) / det;
    aR[i] = ar;
    aG[i] = ag;
    aB[i] = ab;
    b[i] = mp - ar * mr - ag * mg - ab * mb;
  }
  const maR = mean(aR), maG = mean(aG), maB = mean(aB), mbb = mean(b);
  const q = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    // Bilinear position of this full-resolution pixel's centre in the subsampled grid.
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) / s - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), ty = fy - y0;
    for (let x = 0; x < W; x++) {
      const k = y * W + x;
      if (only && !only[k]) continue;
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / s - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), tx = fx - x0;
      const i00 = y0 * w + x0, i01 = y0 * w + x1, i10 = y1 * w + x0, i11 = y1 * w + x1;
      const lerp = (m: Float32Array) => (m[i00]! * (1 - tx) + m[i01]! * tx) * (1 - ty) + (m[i10]! * (1 - tx) + m[i11]! * tx) * ty;
      const o = k * 4;
      q[k] = (lerp(maR) * guide.data[o]! + lerp(maG) * guide.data[o + 1]! + lerp(maB) * guide.data[o + 2]!) / 255 + lerp(mbb);
    }
  }
  return q;
}
