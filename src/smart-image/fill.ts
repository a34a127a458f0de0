/**
 * Push-pull interpolation: fills unknown pixels of a multi-channel float image
 * from the known ones with a smooth membrane (coarse-to-fine), the low-frequency
 * half of `expand_image`. `weight` is 0…1 per pixel.
 */
export function pushPull(values: Float32Array[], weight: Float32Array, w: number, h: number): Float32Array[] {
  const C = values.length;
  if (w <= 1 && h <= 1) return values.map((v) => v.slice());
  const cw = Math.ceil(w / 2), ch = Math.ceil(h / 2);
  const cv = Array.from({ length: C }, () => new Float32Array(cw * ch));
  const cwt = new Float32Array(cw * ch);
  for (let y = 0; y < h; y++) {
    const cy = y >> 1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x, j = cy * cw + (x >> 1);
      const wt = weight[i]!;
      if (wt <= 0) continue;
      cwt[j]! += wt;
      for (let c = 0; c < C; c++) cv[c]![j]! += values[c]![i]! * wt;
    }
  }
  for (let j = 0; j < cwt.length; j++) {
    const t = cwt[j]!;
    if (t > 0) for (let c = 0; c < C; c++) cv[c]![j]! /= t;
    cwt[j] = Math.min(1, t);
  }
  const coarse = pushPull(cv, cwt, cw, ch);
  const out = values.map((v) => v.slice());
  for (let y = 0; y < h; y++) {
    // Bilinear sample of the coarse level at this pixel's centre.
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(ch - 1, y0 + 1), ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const wt = Math.min(1, weight[i]!);
      if (wt >= 1) continue;
      const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(cw - 1, x0 + 1), tx = fx - x0;
      const a = y0 * cw + x0, b = y0 * cw + x1, c2 = y1 * cw + x0, d = y1 * cw + x1;
      for (let c = 0; c < C; c++) {
        const k = coarse[c]!;
        const up = (k[a]! * (1 - tx) + k[b]! * tx) * (1 - ty) + (k[c2]! * (1 - tx) + k[d]! * tx) * ty;
        out[c]![i] = values[c]![i]! * wt + up * (1 - wt);
      }
    }
  }
  return out;
}
