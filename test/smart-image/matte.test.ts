import { describe, expect, it } from 'vitest';
import { decidePlateaus, dropDetachedBlobs, refineEdge } from '../../src/smart-image/matte.js';
import type { RawImage } from '../../src/smart-image/types.js';
import { cutSides, subjectBox } from '../../src/smart-image/cutout.js';

const W = 100, H = 80;
function disc(alpha: Uint8Array, cx: number, cy: number, r: number, soft = 2): void {
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const a = d <= r ? 255 : d <= r + soft ? Math.round(255 * (1 - (d - r) / soft) * 0.4) : 0;
      alpha[y * W + x] = Math.max(alpha[y * W + x]!, a);
    }
}

describe('dropDetachedBlobs', () => {
  it('drops a small blob not connected to the subject, with its soft edge, and keeps the subject exactly', () => {
    const alpha = new Uint8Array(W * H);
    disc(alpha, 40, 40, 20);
    const subjectOnly = alpha.slice();
    disc(alpha, 88, 10, 5); // a shelf box: 1/16 of the subject
    const out = dropDetachedBlobs(alpha, W, H);
    expect([...out]).toEqual([...subjectOnly]);
  });

  it('keeps a second subject of comparable size (two products in one shot)', () => {
    const alpha = new Uint8Array(W * H);
    disc(alpha, 25, 40, 15);
    disc(alpha, 75, 40, 12); // (12/15)² = 64 % of the first
    expect([...dropDetachedBlobs(alpha, W, H)]).toEqual([...alpha]);
  });

  it('control: without it the box of a subject with a stray blob spans both', () => {
    const alpha = new Uint8Array(W * H);
    disc(alpha, 40, 40, 20);
    disc(alpha, 88, 10, 5);
    expect(subjectBox(alpha, W, H).x + subjectBox(alpha, W, H).width).toBeGreaterThan(90);
    const clean = dropDetachedBlobs(alpha, W, H);
    expect(subjectBox(clean, W, H)).toEqual({ x: 20, y: 20, width: 41, height: 41 });
  });
});

describe('cutSides', () => {
  it('names the sides where the subject runs into the photo border, not where a hair touches', () => {
    const alpha = new Uint8Array(W * H);
    disc(alpha, 50, 70, 30); // a body cut by the bottom border
    expect(cutSides(alpha, W, H)).toEqual(['bottom']);
    expect(subjectBox(alpha, W, H).cut).toEqual(['bottom']);
    const hair = new Uint8Array(W * H);
    disc(hair, 50, 40, 20);
    hair[0 * W + 50] = 255; // one pixel on the top border
    expect(cutSides(hair, W, H)).toEqual([]);
    expect(subjectBox(hair, W, H).cut).toBeUndefined();
  });
});

describe('decidePlateaus', () => {
  it('makes a broad 90 % area opaque and a broad 10 % haze clear, and keeps the soft edge between', () => {
    const alpha = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) alpha[y * W + x] = x < 40 ? 230 : x < 44 ? [180, 128, 70, 30][x - 40]! : 25;
    const out = decidePlateaus(alpha, W, H);
    expect(out[40 * W + 10]).toBe(255); // deep inside the near-opaque plateau
    expect(out[40 * W + 80]).toBe(0); // deep inside the haze
    expect([...out.subarray(40 * W + 40, 40 * W + 44)]).toEqual([180, 128, 70, 30]); // the edge is untouched
    const undecided = (a: Uint8Array) => a.filter((v) => v > 0 && v < 255).length / a.length;
    expect(undecided(alpha)).toBe(1);
    expect(undecided(out)).toBeLessThan(0.15);
  });
});

describe('refineEdge (guided filter with the photo as guide)', () => {
  /** A photo whose subject (orange) ends at x = 50 on a blue wall, and a matte whose edge is a 16-px ramp centred there (a resized matte). */
  function scene(w = 120, h = 40): { photo: RawImage; alpha: Uint8Array } {
    const data = new Uint8Array(w * h * 4), alpha = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        data.set(x < 50 ? [230, 120, 40, 255] : [40, 90, 200, 255], i * 4);
        alpha[i] = Math.round(255 * Math.min(1, Math.max(0, (58 - x) / 16)));
      }
    return { photo: { data, width: w, height: h }, alpha };
  }
  const row = (a: Uint8Array, y: number, w = 120) => Array.from(a.subarray(y * w, (y + 1) * w));

  it('moves the matte edge onto the photo edge and leaves the plateaus exactly', () => {
    const { photo, alpha } = scene();
    const out = refineEdge(photo, alpha, { radius: 4 });
    const r = row(out, 20), before = row(alpha, 20);
    // Before: soft from x = 43 to 57 (15 px of half-transparent subject and wall); after: a step at the photo edge.
    const undecided = (a: number[]) => a.filter((v) => v > 0 && v < 255).length;
    const steepest = (a: number[]) => a.slice(1).reduce((best, v, x) => (a[x]! - v > best.drop ? { drop: a[x]! - v, at: x + 1 } : best), { drop: 0, at: -1 });
    expect(undecided(before)).toBe(15);
    expect(steepest(before).drop).toBeLessThan(17);
    // The matte now drops where the photo does (x = 49 → 50), the subject side stays ≥ 80 %, the wall side ≤ 30 %.
    expect(steepest(r)).toMatchObject({ at: 50 });
    expect(steepest(r).drop).toBeGreaterThan(120);
    expect(Math.min(...r.slice(0, 50))).toBeGreaterThan(204);
    expect(Math.max(...r.slice(50))).toBeLessThan(77);
    expect(undecided(r)).toBeLessThan(undecided(before));
    // Far from the edge nothing changes.
    for (let y = 0; y < 40; y++) {
      expect(row(out, y).slice(0, 20)).toEqual(row(alpha, y).slice(0, 20));
      expect(row(out, y).slice(80)).toEqual(row(alpha, y).slice(80));
    }
  });

  it('answers the matte itself when it has no edge, and refuses a matte of another size', () => {
    const { photo } = scene();
    const flat = new Uint8Array(120 * 40).fill(255);
    expect(refineEdge(photo, flat)).toBe(flat);
    expect(() => refineEdge(photo, new Uint8Array(10))).toThrow(/matte has 10 values, the photo 120×40 pixels/);
  });
});
