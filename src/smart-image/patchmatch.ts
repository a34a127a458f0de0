/**
 * PatchMatch (Barnes et al. 2009) for filling a hole in a target picture with
 * patches copied from a source picture, and the voting step of Wexler et al.'s
 * completion: each hole pixel becomes the mean of what the patches covering it
 * say it should be. One pyramid level at a time; `expand.ts` runs it coarse to fine.
 *
 * Pictures are RGB, 3 bytes a pixel. The nearest-neighbour field (NNF) maps each
 * hole pixel of the target to the centre of a source patch (an index y·pw + x into
 * the source); known target pixels have -1. Source centres are "valid" when their
 * whole patch lies inside the source and off the subject, so patches never copy
 * the subject and never read outside the source (no bounds checks in the loops).
 */

export interface PatchLevel {
  /** Target (the frame at this level): RGB, hole pixels hold the current estimate. */
  T: Uint8Array;
  W: number;
  H: number;
  /** 1 where the target pixel is known (the photo), 0 in the hole. */
  known: Uint8Array;
  /** Hole pixel indices in scan order. */
  hole: Int32Array;
  /** Source (the photo at this level): RGB. */
  P: Uint8Array;
  pw: number;
  ph: number;
  /** 1 where a patch of radius `r` centred there may be copied (inside the source, off the subject). */
  valid: Uint8Array;
  /** The valid centres, for random picks. */
  validList: Int32Array;
  /** Patch radius (patch side 2r + 1). */
  r: number;
}

/** xorshift32: small, fast and deterministic for a seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * Valid source centres for patch radius r: inside the source by r and with no
 * subject pixel in the patch (counted with a summed-area table).
 */
export function validCentres(subject: Uint8Array, pw: number, ph: number, r: number): { valid: Uint8Array; list: Int32Array } {
  const sat = new Int32Array((pw + 1) * (ph + 1));
  for (let y = 0; y < ph; y++) {
    let row = 0;
    for (let x = 0; x < pw; x++) {
      row += subject[y * pw + x]! ? 1 : 0;
      sat[(y + 1) * (pw + 1) + x + 1] = sat[y * (pw + 1) + x + 1]! + row;
    }
  }
  const valid = new Uint8Array(pw * ph);
  const list: number[] = [];
  for (let y = r; y < ph - r; y++)
    for (let x = r; x < pw - r; x++) {
      const x0 = x - r, y0 = y - r, x1 = x + r + 1, y1 = y + r + 1;
      const n = sat[y1 * (pw + 1) + x1]! - sat[y0 * (pw + 1) + x1]! - sat[y1 * (pw + 1) + x0]! + sat[y0 * (pw + 1) + x0]!;
      if (n === 0) {
        valid[y * pw + x] = 1;
        list.push(y * pw + x);
      }
    }
  return { valid, list: Int32Array.from(list) };
}

/** Sum of squared differences between the target patch at (tx, ty) and the source patch centred at s; stops once ≥ best. */
export function patchDistance(L: PatchLevel, tx: number, ty: number, s: number, best: number): number {
  const { T, W, H, P, pw, r } = L;
  const sx = s % pw, sy = (s - sx) / pw;
  const x0 = tx < r ? -tx : -r, x1 = tx + r >= W ? W - 1 - tx : r;
  const y0 = ty < r ? -ty : -r, y1 = ty + r >= H ? H - 1 - ty : r;
  const n = (x1 - x0 + 1) * 3;
  let d = 0;
  for (let dy = y0; dy <= y1; dy++) {
    const ti = ((ty + dy) * W + tx + x0) * 3, si = ((sy + dy) * pw + sx + x0) * 3;
    for (let k = 0; k < n; k++) {
      const e = T[ti + k]! - P[si + k]!;
      d += e * e;
    }
    if (d >= best) return d;
  }
  return d;
}

/**
 * As patchDistance, but known target pixels (the photo) count `k` times: along the
 * photo's border the copied patch must agree with the photo before it agrees with
 * the fill's own estimate (which came from a coarser level, possibly misaligned).
 */
export function patchDistanceKnown(L: PatchLevel, tx: number, ty: number, s: number, best: number, k: number): number {
  const { T, W, H, P, pw, r, known } = L;
  const sx = s % pw, sy = (s - sx) / pw;
  const x0 = tx < r ? -tx : -r, x1 = tx + r >= W ? W - 1 - tx : r;
  const y0 = ty < r ? -ty : -r, y1 = ty + r >= H ? H - 1 - ty : r;
  let d = 0;
  for (let dy = y0; dy <= y1; dy++) {
    const trow = (ty + dy) * W + tx, srow = (sy + dy) * pw + sx;
    for (let dx = x0; dx <= x1; dx++) {
      const ti = (trow + dx) * 3, si = (srow + dx) * 3;
      const e0 = T[ti]! - P[si]!, e1 = T[ti + 1]! - P[si + 1]!, e2 = T[ti + 2]! - P[si + 2]!;
      const e = e0 * e0 + e1 * e1 + e2 * e2;
      d += known[trow + dx] ? e * k : e;
    }
    if (d >= best) return d;
  }
  return d;
}

/** Costs of the current NNF (after it changed level or the target estimate changed). */
export function computeCosts(L: PatchLevel, nnf: Int32Array, cost: Float64Array, knownWeight = 1): void {
  const { hole, W } = L;
  for (let i = 0; i < hole.length; i++) {
    const p = hole[i]!;
    const x = p % W, y = (p - x) / W;
    cost[p] = knownWeight === 1 ? patchDistance(L, x, y, nnf[p]!, Infinity) : patchDistanceKnown(L, x, y, nnf[p]!, Infinity, knownWeight);
  }
}

/**
 * PatchMatch iterations: propagation from the previous neighbours in scan order
 * (alternating direction each iteration) and random search in windows halving
 * from `maxRadius` around the current best.
 */
export function patchMatch(L: PatchLevel, nnf: Int32Array, cost: Float64Array, iterations: number, maxRadius: number, random: () => number, knownWeight = 1): void {
  const { hole, W, H, known, valid, pw, ph, r } = L;
  const distance = knownWeight === 1 ? patchDistance : (l: PatchLevel, x: number, y: number, c: number, b: number) => patchDistanceKnown(l, x, y, c, b, knownWeight);
  const vlen = valid.length;
  for (let it = 0; it < iterations; it++) {
    const dir = it % 2 === 0 ? 1 : -1;
    const n = hole.length;
    for (let k = 0; k < n; k++) {
      const p = hole[dir === 1 ? k : n - 1 - k]!;
      const x = p % W, y = (p - x) / W;
      let best = nnf[p]!, bestD = cost[p]!;
      // Propagation: the neighbour before us, its patch shifted by one.
      const nx = x - dir;
      if (nx >= 0 && nx < W && known[p - dir] === 0) {
        const c = nnf[p - dir]! + dir;
        if (c !== best && c >= 0 && c < vlen && valid[c] === 1) {
          const d = distance(L, x, y, c, bestD);
          if (d < bestD) {
            bestD = d;
            best = c;
          }
        }
      }
      const ny = y - dir;
      if (ny >= 0 && ny < H && known[p - dir * W] === 0) {
        const c = nnf[p - dir * W]! + dir * pw;
        if (c !== best && c >= 0 && c < vlen && valid[c] === 1) {
          const d = distance(L, x, y, c, bestD);
          if (d < bestD) {
            bestD = d;
            best = c;
          }
        }
      }
      // Random search around the best so far.
      let bx = best % pw, by = (best - bx) / pw;
      for (let rad = maxRadius; rad >= 1; rad >>= 1) {
        let cx = bx + Math.floor((random() * 2 - 1) * rad + 0.5), cy = by + Math.floor((random() * 2 - 1) * rad + 0.5);
        cx = cx < r ? r : cx > pw - 1 - r ? pw - 1 - r : cx;
        cy = cy < r ? r : cy > ph - 1 - r ? ph - 1 - r : cy;
        const c = cy * pw + cx;
        if (c === best || valid[c] !== 1) continue;
        const d = distance(L, x, y, c, bestD);
        if (d < bestD) {
          bestD = d;
          best = c;
          bx = cx;
          by = cy;
        }
      }
      nnf[p] = best;
      cost[p] = bestD;
    }
  }
}

/**
 * Voting: every hole pixel becomes the mean of the colours the hole patches
 * within `rv` of it copy there (rv ≤ r, so every read is inside the source).
 */
export function vote(L: PatchLevel, nnf: Int32Array, rv: number): void {
  const { hole, W, H, T, P, pw } = L;
  for (let i = 0; i < hole.length; i++) {
    const p = hole[i]!;
    const x = p % W, y = (p - x) / W;
    let r0 = 0, g0 = 0, b0 = 0, n = 0;
    const ya = y - rv < 0 ? 0 : y - rv, yb = y + rv >= H ? H - 1 : y + rv;
    const xa = x - rv < 0 ? 0 : x - rv, xb = x + rv >= W ? W - 1 : x + rv;
    for (let qy = ya; qy <= yb; qy++)
      for (let qx = xa; qx <= xb; qx++) {
        const s = nnf[qy * W + qx]!;
        if (s < 0) continue;
        // Source pixel for p seen from q's patch: q's centre moved by (p - q).
        const si = (s + (y - qy) * pw + (x - qx)) * 3;
        r0 += P[si]!;
        g0 += P[si + 1]!;
        b0 += P[si + 2]!;
        n++;
      }
    if (n === 0) continue;
    const o = p * 3;
    T[o] = (r0 / n + 0.5) | 0;
    T[o + 1] = (g0 / n + 0.5) | 0;
    T[o + 2] = (b0 / n + 0.5) | 0;
  }
}
