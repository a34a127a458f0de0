import { backdropExpand, blurredBackdrop, fadeToBackdrop } from './expand-backdrop.js';
import { pushPull } from './fill.js';
import { reflect, reflectExpand } from './expand-reflect.js';
import { resizeGray, resizeRgba } from './image.js';
import { lowFrequencyShift } from './extrapolate.js';
import { computeCosts, patchMatch, rng, validCentres, vote, type PatchLevel } from './patchmatch.js';
import type { RawImage } from './types.js';

export interface ExpandOptions {
  /** Seed for the randomised PatchMatch search; the same seed gives the same picture. Default 1. */
  seed?: number;
  /**
   * 'patchmatch-backdrop' (default: PatchMatch near the photo, handed over to the blurred
   * backdrop far from it, where copied patches break up into streaks and blocks);
   * 'patchmatch' (PatchMatch over the whole fill); 'backdrop' (the blurred backdrop
   * alone, the photo feathered into it); or the older 'reflect' method (mirror +
   * membrane). bench/expand.bench.ts measures them side by side (docs/smart-image.md).
   */
  method?: 'patchmatch' | 'patchmatch-backdrop' | 'backdrop' | 'reflect';
  /** Reflect method only: radius splitting base and texture. */
  detailRadius?: number;
  /**
   * PatchMatch only: where half and full size search again. 'band' (a 12-px band along
   * the photo; the rest of the fill keeps the field upsampled from quarter size) or
   * 'full' (the whole fill, EM rounds at half and full size).
   */
  refine?: 'band' | 'full';
}

type Rect = { x: number; y: number; width: number; height: number };

/** One pyramid level: the PatchMatch data plus where the photo sits in the frame at this scale. */
interface Level extends PatchLevel {
  /** Subject (grown) in the source, 1 byte a pixel. */
  subject: Uint8Array;
  /** The photo's top-left in this level's frame pixels. */
  ox: number;
  oy: number;
}

/** Patch radius at the coarse levels (7×7), and at half and full size (5×5: cheaper, finer detail). */
const COARSE_RADIUS = 3;
const FINE_RADIUS = 2;
/** Width (full-size pixels) of the band along the photo's border searched again at half and full size. */
const BAND = 12;
/**
 * In those band searches the photo's own pixels count this many times the fill's
 * estimate: the estimate came from a coarser level and may be misaligned by a few
 * pixels; the copy must line up with the photo (mortar lines, stripes) first.
 */
const KNOWN_WEIGHT = 16;

/**
 * Extend a photo's own background to a frame of any aspect: content-aware fill by
 * multi-scale PatchMatch.
 *
 * The photo is drawn at `rect` (frame pixels; may reach outside the frame). The rest
 * of the frame is synthesised from patches of the photo's background (the subject,
 * from the cut-out matte, is never copied): coarse to fine over an image pyramid,
 * each searched level alternating PatchMatch (propagation + random search) with
 * voting; the full-size level takes the nearest-neighbour field upsampled from the
 * half-size one and only votes, so full-resolution texture is copied coherently.
 * The fill's smooth layer is then replaced by the photo's own smooth layer continued
 * outward (extrapolate.ts), so gradients keep going instead of folding back.
 * A last smooth correction (a membrane of the colour mismatch along the photo's
 * border) removes any remaining step at the seam. Deterministic for a seed.
 * Photos with too little background to copy from use the reflection method.
 *
 * By default (method 'patchmatch-backdrop') that fill is kept only near the photo and
 * handed over, with distance, to a blurred backdrop of the photo's own background
 * (expand-backdrop.ts): far from the photo copied patches break up into streaks and
 * blocks (wide and tall frames showed them on real photos; bench/expand.bench.ts).
 */
export async function expandImage(photo: RawImage, alpha: Uint8Array, frame: { width: number; height: number }, rect: Rect, options: ExpandOptions = {}): Promise<RawImage> {
  if (options.method === 'backdrop') return backdropExpand(photo, alpha, frame, rect);
  if (options.method === undefined || options.method === 'patchmatch-backdrop') {
    const filled = await expandImage(photo, alpha, frame, rect, { ...options, method: 'patchmatch' });
    // All subject: no background to blur (it would be a ghost of the subject); the fill stands.
    if (!alpha.some((a) => a <= 8)) return filled;
    return fadeToBackdrop(filled, await blurredBackdrop(photo, alpha, frame, rect, { dim: 1, saturation: 1 }), rect);
  }
  if (options.method === 'reflect') return reflectExpand(photo, alpha, frame, rect, options.detailRadius !== undefined ? { detailRadius: options.detailRadius } : {});
  const W = frame.width, H = frame.height;
  const rw = Math.max(1, Math.round(rect.width)), rh = Math.max(1, Math.round(rect.height));
  const rx = Math.round(rect.x), ry = Math.round(rect.y);
  const scaled = await resizeRgba(photo, rw, rh, 'lanczos3');
  const salpha = await resizeGray(alpha, photo.width, photo.height, rw, rh);

  // Full-size level: the frame with the photo in it, and the photo as the source.
  const T = new Uint8Array(W * H * 3), known = new Uint8Array(W * H);
  let holes = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const px = x - rx, py = y - ry, i = y * W + x;
      if (px >= 0 && px < rw && py >= 0 && py < rh) {
        const j = (py * rw + px) * 4;
        T[i * 3] = scaled.data[j]!;
        T[i * 3 + 1] = scaled.data[j + 1]!;
        T[i * 3 + 2] = scaled.data[j + 2]!;
        known[i] = 1;
      } else holes++;
    }
  if (holes === 0) return toRgba(T, W, H);
  const P = new Uint8Array(rw * rh * 3);
  for (let i = 0; i < rw * rh; i++) {
    P[i * 3] = scaled.data[i * 4]!;
    P[i * 3 + 1] = scaled.data[i * 4 + 1]!;
    P[i * 3 + 2] = scaled.data[i * 4 + 2]!;
  }
  const subject = growSubject(salpha, rw, rh, Math.max(2, Math.round(Math.max(rw, rh) / 100)));

  const levels: Level[] = [makeLevel(T, W, H, known, P, rw, rh, subject, rx, ry, FINE_RADIUS)];
  // Coarser levels while the photo keeps enough pixels to hold 7×7 patches.
  while (levels.length < 6) {
    const f = levels[levels.length - 1]!;
    if (Math.min(f.pw, f.ph) < 72 || Math.max(f.W, f.H) < 128) break;
    levels.push(downsample(f, levels.length === 1 ? FINE_RADIUS : COARSE_RADIUS));
  }
  const coarsest = levels[levels.length - 1]!;
  if (coarsest.validList.length < 8 || levels[0]!.validList.length < 8 || levels.length < 2)
    return reflectExpand(photo, alpha, frame, rect, options.detailRadius !== undefined ? { detailRadius: options.detailRadius } : {});

  const random = rng(options.seed ?? 1);
  // Coarsest: membrane-filled estimate, mirrored field, then EM (search + vote).
  fillSmooth(coarsest);
  let nnf = initialField(coarsest, random);
  let cost = new Float64Array(coarsest.W * coarsest.H);
  computeCosts(coarsest, nnf, cost);
  em(coarsest, nnf, cost, 4, 2, Math.max(coarsest.pw, coarsest.ph), random);
  // Finer levels down to quarter size refine locally (few rounds, small windows).
  for (let l = levels.length - 2; l >= 1; l--) {
    const L = levels[l]!;
    nnf = upsampleField(levels[l + 1]!, nnf, L, random);
    if (l === 1 && options.refine === 'full') {
      // Half size, whole fill: EM with the photo's pixels weighted (so the band lines up).
      vote(L, nnf, L.r);
      cost = new Float64Array(L.W * L.H);
      computeCosts(L, nnf, cost, KNOWN_WEIGHT);
      for (let k = 0; k < 2; k++) {
        patchMatch(L, nnf, cost, 2, 16, random, KNOWN_WEIGHT);
        vote(L, nnf, L.r);
        if (k === 0) computeCosts(L, nnf, cost, KNOWN_WEIGHT);
      }
      continue;
    }
    if (l === 1) {
      // Half size: only the band along the photo is searched again (the rest passes on).
      const rectL = knownRect(L);
      vote({ ...L, hole: bandPixels(L, rectL, BAND / 2 + L.r) }, nnf, L.r);
      const band = { ...L, hole: bandPixels(L, rectL, BAND / 2) };
      cost = new Float64Array(L.W * L.H);
      computeCosts(band, nnf, cost, KNOWN_WEIGHT);
      patchMatch(band, nnf, cost, 2, 8, random, KNOWN_WEIGHT);
      continue;
    }
    vote(L, nnf, L.r);
    cost = new Float64Array(L.W * L.H);
    computeCosts(L, nnf, cost);
    em(L, nnf, cost, 1, 1, 8, random);
  }
  // Full size: the field upsampled and voted; near the border (where a one-pixel
  // misalignment would show) it is searched again, photo pixels weighted.
  const full = levels[0]!;
  const photoRect = { x0: Math.max(0, rx), y0: Math.max(0, ry), x1: Math.min(W, rx + rw) - 1, y1: Math.min(H, ry + rh) - 1 };
  nnf = upsampleField(levels[1]!, nnf, full, random);
  vote(full, nnf, 1);
  const band = options.refine === 'full' ? full : { ...full, hole: bandPixels(full, photoRect, BAND) };
  cost = new Float64Array(W * H);
  computeCosts(band, nnf, cost, KNOWN_WEIGHT);
  patchMatch(band, nnf, cost, 2, 4, random, KNOWN_WEIGHT);
  vote(band, nnf, 1);

  // Swap the fill's smooth layer for the photo's, continued (measured on the finished
  // fill brought down to quarter size, so the swap matches what was copied).
  const q = Math.min(2, levels.length - 1);
  const Lq = levels[q]!;
  const smoothRadius = Math.max(1.5, Math.max(8, Math.hypot(W, H) * 0.03) / 2 ** q);
  const shift = lowFrequencyShift({ ...Lq, T: shrink(T, W, H, Lq.W, Lq.H, 2 ** q) }, { radius: smoothRadius, decay: 0.5 * Math.max(Lq.pw, Lq.ph), maxChange: 48 });
  addCoarse(full, photoRect, shift, Lq.W, Lq.H, 2 ** q, Infinity);
  correctSeam(full, photoRect, nnf, Lq.W, Lq.H, 2 ** q);
  return toRgba(T, W, H);
}

/** The known rectangle (the photo inside the frame), inclusive bounds. */
interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function knownRect(L: Level): Bounds {
  const b = { x0: L.W, y0: L.H, x1: -1, y1: -1 };
  for (let y = 0; y < L.H; y++)
    for (let x = 0; x < L.W; x++)
      if (L.known[y * L.W + x]) {
        if (x < b.x0) b.x0 = x;
        if (x > b.x1) b.x1 = x;
        if (y < b.y0) b.y0 = y;
        b.y1 = y;
      }
  return b;
}

/** Hole pixels within `band` pixels (chessboard distance) of the known rectangle, in scan order. */
function bandPixels(L: Level, b: Bounds, band: number): Int32Array {
  const out: number[] = [];
  for (let y = Math.max(0, b.y0 - band); y <= Math.min(L.H - 1, b.y1 + band); y++)
    for (let x = Math.max(0, b.x0 - band); x <= Math.min(L.W - 1, b.x1 + band); x++) if (!L.known[y * L.W + x]) out.push(y * L.W + x);
  return Int32Array.from(out);
}

/**
 * Add coarse planes (bilinearly upsampled, `scale` full pixels per coarse pixel) to the
 * hole pixels, weighted exp(-distance / fade) from the known rectangle (Infinity: no fade).
 * Separable: each coarse row is interpolated across once, then rows are blended.
 */
function addCoarse(L: Level, b: Bounds, planes: Float32Array[], cw: number, ch: number, scale: number, fade: number): void {
  const { W, H, T, known } = L;
  const reach = fade === Infinity ? Infinity : Math.ceil(fade * 6);
  const weights = fade === Infinity ? null : Float32Array.from({ length: reach + 1 }, (_, d) => Math.exp(-d / fade));
  // Each coarse row, interpolated to full width (3 channels), cached as y moves down.
  const rowCache = new Map<number, Float32Array>();
  const across = (cy: number): Float32Array => {
    let row = rowCache.get(cy);
    if (row) return row;
    row = new Float32Array(W * 3);
    for (let x = 0; x < W; x++) {
      const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const xa = Math.floor(fx), xb = Math.min(cw - 1, xa + 1), t = fx - xa;
      for (let c = 0; c < 3; c++) row[x * 3 + c] = planes[c]![cy * cw + xa]! * (1 - t) + planes[c]![cy * cw + xb]! * t;
    }
    rowCache.set(cy, row);
    if (rowCache.size > 3) rowCache.delete(rowCache.keys().next().value!);
    return row;
  };
  for (let y = 0; y < H; y++) {
    const dy = y < b.y0 ? b.y0 - y : y > b.y1 ? y - b.y1 : 0;
    if (dy > reach) continue;
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const ya = Math.floor(fy), ty = fy - ya;
    const ra = across(ya), rb = across(Math.min(ch - 1, ya + 1));
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (known[i]) continue;
      const d = Math.max(dy, x < b.x0 ? b.x0 - x : x > b.x1 ? x - b.x1 : 0);
      if (d > reach) continue;
      const k = weights ? weights[d]! : 1;
      for (let c = 0; c < 3; c++) {
        const v = T[i * 3 + c]! + k * (ra[x * 3 + c]! * (1 - ty) + rb[x * 3 + c]! * ty);
        T[i * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  }
}

/** Block means (f×f) of an RGB picture: the full-size fill at a pyramid level's size. */
function shrink(T: Uint8Array, W: number, H: number, w: number, h: number, f: number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let r = 0, g = 0, b = 0, n = 0;
      for (let yy = y * f; yy < Math.min(H, (y + 1) * f); yy++)
        for (let xx = x * f; xx < Math.min(W, (x + 1) * f); xx++) {
          const i = (yy * W + xx) * 3;
          r += T[i]!;
          g += T[i + 1]!;
          b += T[i + 2]!;
          n++;
        }
      const o = (y * w + x) * 3;
      out[o] = r / Math.max(1, n) + 0.5;
      out[o + 1] = g / Math.max(1, n) + 0.5;
      out[o + 2] = b / Math.max(1, n) + 0.5;
    }
  return out;
}

/** EM rounds: search the field for the current estimate, then re-vote the estimate from it. */
function em(L: Level, nnf: Int32Array, cost: Float64Array, rounds: number, iterations: number, radius: number, random: () => number): void {
  for (let k = 0; k < rounds; k++) {
    patchMatch(L, nnf, cost, iterations, radius, random);
    vote(L, nnf, L.r);
    if (k < rounds - 1) computeCosts(L, nnf, cost);
  }
}

function makeLevel(T: Uint8Array, W: number, H: number, known: Uint8Array, P: Uint8Array, pw: number, ph: number, subject: Uint8Array, ox: number, oy: number, r: number): Level {
  let n = 0;
  for (let i = 0; i < known.length; i++) if (!known[i]) n++;
  const hole = new Int32Array(n);
  for (let i = 0, k = 0; i < known.length; i++) if (!known[i]) hole[k++] = i;
  const { valid, list } = validCentres(subject, pw, ph, r);
  return { T, W, H, known, hole, P, pw, ph, valid, validList: list, r, subject, ox, oy };
}

/** Half-size level: 2×2 means; a coarse pixel is known only when all its pixels are; the subject when any is. */
function downsample(f: Level, radius: number): Level {
  const W = Math.ceil(f.W / 2), H = Math.ceil(f.H / 2), pw = Math.ceil(f.pw / 2), ph = Math.ceil(f.ph / 2);
  const T = new Uint8Array(W * H * 3), known = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const x0 = 2 * x, y0 = 2 * y, x1 = Math.min(f.W - 1, x0 + 1), y1 = Math.min(f.H - 1, y0 + 1);
      const a = y0 * f.W + x0, b = y0 * f.W + x1, c = y1 * f.W + x0, d = y1 * f.W + x1, o = (y * W + x) * 3;
      known[y * W + x] = f.known[a]! & f.known[b]! & f.known[c]! & f.known[d]!;
      for (let ch = 0; ch < 3; ch++) T[o + ch] = (f.T[a * 3 + ch]! + f.T[b * 3 + ch]! + f.T[c * 3 + ch]! + f.T[d * 3 + ch]! + 2) >> 2;
    }
  const P = new Uint8Array(pw * ph * 3), subject = new Uint8Array(pw * ph);
  for (let y = 0; y < ph; y++)
    for (let x = 0; x < pw; x++) {
      const x0 = 2 * x, y0 = 2 * y, x1 = Math.min(f.pw - 1, x0 + 1), y1 = Math.min(f.ph - 1, y0 + 1);
      const a = y0 * f.pw + x0, b = y0 * f.pw + x1, c = y1 * f.pw + x0, d = y1 * f.pw + x1, o = (y * pw + x) * 3;
      subject[y * pw + x] = f.subject[a]! | f.subject[b]! | f.subject[c]! | f.subject[d]!;
      for (let ch = 0; ch < 3; ch++) P[o + ch] = (f.P[a * 3 + ch]! + f.P[b * 3 + ch]! + f.P[c * 3 + ch]! + f.P[d * 3 + ch]! + 2) >> 2;
    }
  return makeLevel(T, W, H, known, P, pw, ph, subject, f.ox / 2, f.oy / 2, radius);
}

/** The subject (alpha > 8) grown by `grow` pixels: its soft edge must not be copied either. */
function growSubject(alpha: Uint8Array, w: number, h: number, grow: number): Uint8Array {
  const rows = new Uint8Array(w * h), out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let last = -Infinity;
    for (let x = 0; x < w; x++) {
      if (alpha[y * w + x]! > 8) last = x;
      if (x - last <= grow) rows[y * w + x] = 1;
    }
    last = Infinity;
    for (let x = w - 1; x >= 0; x--) {
      if (alpha[y * w + x]! > 8) last = x;
      if (last - x <= grow) rows[y * w + x] = 1;
    }
  }
  for (let x = 0; x < w; x++) {
    let last = -Infinity;
    for (let y = 0; y < h; y++) {
      if (rows[y * w + x]) last = y;
      if (y - last <= grow) out[y * w + x] = 1;
    }
    last = Infinity;
    for (let y = h - 1; y >= 0; y--) {
      if (rows[y * w + x]) last = y;
      if (last - y <= grow) out[y * w + x] = 1;
    }
  }
  return out;
}

/** The coarsest hole's first estimate: a smooth membrane from the known pixels around it. */
function fillSmooth(L: Level): void {
  const n = L.W * L.H;
  const planes = [0, 1, 2].map((c) => {
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) p[i] = L.T[i * 3 + c]!;
    return p;
  });
  const wt = new Float32Array(n);
  for (let i = 0; i < n; i++) wt[i] = L.known[i]!;
  const filled = pushPull(planes, wt, L.W, L.H);
  for (const p of L.hole) for (let c = 0; c < 3; c++) L.T[p * 3 + c] = Math.round(filled[c]![p]!);
}

/** A valid source centre near (sx, sy), or a random one when the subject is there. */
function nearestValid(L: Level, sx: number, sy: number, random: () => number): number {
  const x = Math.min(L.pw - 1 - L.r, Math.max(L.r, Math.round(sx))), y = Math.min(L.ph - 1 - L.r, Math.max(L.r, Math.round(sy)));
  const c = y * L.pw + x;
  return L.valid[c] === 1 ? c : L.validList[Math.floor(random() * L.validList.length)]!;
}

/** Start from the photo mirrored about its edges: a coherent field that already continues the border. */
function initialField(L: Level, random: () => number): Int32Array {
  const nnf = new Int32Array(L.W * L.H).fill(-1);
  for (const p of L.hole) {
    const x = p % L.W, y = (p - x) / L.W;
    nnf[p] = nearestValid(L, reflect(Math.round(x - L.ox), L.pw), reflect(Math.round(y - L.oy), L.ph), random);
  }
  return nnf;
}

/** The coarse field at twice the size: each pixel keeps its parent's offset (×2). */
function upsampleField(c: Level, cn: Int32Array, f: Level, random: () => number): Int32Array {
  const nnf = new Int32Array(f.W * f.H).fill(-1);
  for (const p of f.hole) {
    const x = p % f.W, y = (p - x) / f.W;
    const cx = Math.min(c.W - 1, x >> 1), cy = Math.min(c.H - 1, y >> 1);
    const s = cn[cy * c.W + cx]!;
    if (s >= 0) {
      const sx = s % c.pw, sy = (s - sx) / c.pw;
      nnf[p] = nearestValid(f, 2 * sx + (x & 1), 2 * sy + (y & 1), random);
    } else nnf[p] = nearestValid(f, reflect(Math.round(x - f.ox), f.pw), reflect(Math.round(y - f.oy), f.ph), random);
  }
  return nnf;
}

/**
 * Remove any remaining step at the photo's border. For every border pixel b of the
 * photo (subject pixels excluded, so the fill never takes on the subject's colour)
 * next to a filled pixel q, the residual is b's colour minus what q's copied patch
 * says b should be (q's colour plus the source's own step from q to b). The residual
 * is spread into the fill twice: its smooth part as a membrane (like Poisson cloning,
 * computed at a coarse level, fading out with distance so the far fill stays what was
 * copied), then what is left pixel by pixel, fading over a few pixels along the row
 * or column away from the photo — so the step across the border ends up the size of
 * the photo's own steps.
 */
function correctSeam(L: Level, b: Bounds, nnf: Int32Array, cw: number, ch: number, scale: number): void {
  const sums = [new Float32Array(cw * ch), new Float32Array(cw * ch), new Float32Array(cw * ch)];
  const counts = new Float32Array(cw * ch);
  let any = false;
  borderPairs(L, b, nnf, (bx, by, _q, _dx, _dy, res) => {
    const cx = Math.min(cw - 1, Math.floor(bx / scale)), cy = Math.min(ch - 1, Math.floor(by / scale));
    for (let c = 0; c < 3; c++) sums[c]![cy * cw + cx]! += res[c]!;
    counts[cy * cw + cx]! += 1;
    any = true;
  });
  if (!any) return;
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) for (let c = 0; c < 3; c++) sums[c]![i]! /= counts[i]!;
  const wt = counts.map((n) => (n > 0 ? 1 : 0));
  addCoarse(L, b, pushPull(sums, wt, cw, ch), cw, ch, scale, MEMBRANE_FADE);
  const { W, H, T, known } = L;
  borderPairs(L, b, nnf, (_bx, _by, q, dx, dy, res) => {
    // Walk away from the photo from q, fading the residual out.
    let x = q % W, y = (q - x) / W;
    for (let d = 0; d < SEAM_FADE * 4; d++, x += dx, y += dy) {
      if (x < 0 || y < 0 || x >= W || y >= H) break;
      const i = y * W + x;
      if (known[i]) break;
      const k = Math.exp(-d / SEAM_FADE);
      for (let c = 0; c < 3; c++) {
        const v = T[i * 3 + c]! + res[c]! * k;
        T[i * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
      }
    }
  });
}

/** Fade lengths (pixels) of the per-pixel and the smooth seam corrections. */
const SEAM_FADE = 5;
const MEMBRANE_FADE = 40;

/**
 * Every (border pixel b, fill neighbour q) pair along the known rectangle's edges,
 * with the residual at b (see correctSeam); (dx, dy) points from b to q, away from
 * the photo. Subject pixels are skipped.
 */
function borderPairs(
  L: Level,
  b: Bounds,
  nnf: Int32Array,
  each: (bx: number, by: number, q: number, dx: number, dy: number, res: [number, number, number]) => void,
): void {
  const { W, H, T, P, pw } = L;
  const res: [number, number, number] = [0, 0, 0];
  const visit = (x: number, y: number, dx: number, dy: number) => {
    const qx = x + dx, qy = y + dy;
    if (qx < 0 || qy < 0 || qx >= W || qy >= H) return;
    if (L.subject[Math.round(y - L.oy) * pw + Math.round(x - L.ox)]) return;
    const bi = y * W + x, q = qy * W + qx, s = nnf[q]!;
    if (s < 0) return;
    // q's colour plus the source's own step from q's source pixel to b's.
    const sq = s * 3, sb = (s - dx - dy * pw) * 3;
    for (let c = 0; c < 3; c++) res[c] = T[bi * 3 + c]! - (T[q * 3 + c]! + P[sb + c]! - P[sq + c]!);
    each(x, y, q, dx, dy, res);
  };
  for (let y = b.y0; y <= b.y1; y++) {
    visit(b.x0, y, -1, 0);
    visit(b.x1, y, 1, 0);
  }
  for (let x = b.x0; x <= b.x1; x++) {
    visit(x, b.y0, 0, -1);
    visit(x, b.y1, 0, 1);
  }
}

function toRgba(T: Uint8Array, W: number, H: number): RawImage {
  const out = new Uint8Array(W * H * 4);
  for (let i = 0, j = 0; i < W * H; i++, j += 3) {
    out[i * 4] = T[j]!;
    out[i * 4 + 1] = T[j + 1]!;
    out[i * 4 + 2] = T[j + 2]!;
    out[i * 4 + 3] = 255;
  }
  return { data: out, width: W, height: H };
}
