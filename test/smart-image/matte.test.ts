import { describe, expect, it } from 'vitest';
import { decidePlateaus, dropDetachedBlobs } from '../../src/smart-image/matte.js';
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
