import { describe, expect, it } from 'vitest';
import { expandImage } from '../../src/smart-image/expand.js';
import { makeBackdrop, type Backdrop } from '../fixtures/smart-image/synth.js';

/** Mean |Δ| between two adjacent columns, over rows y0…y1. */
function colDiff(img: { data: Uint8Array; width: number }, x: number, y0: number, y1: number): number {
  let s = 0;
  for (let y = y0; y < y1; y++) for (let c = 0; c < 3; c++) s += Math.abs(img.data[(y * img.width + x) * 4 + c]! - img.data[(y * img.width + x + 1) * 4 + c]!);
  return s / ((y1 - y0) * 3);
}

describe('expand_image', () => {
  it.each(['plain', 'gradient', 'texture'] as Backdrop[])('%s backdrop: no seam at the photo border, the photo kept as is', async (kind) => {
    const photo = makeBackdrop(512, 512, kind);
    const alpha = new Uint8Array(512 * 512); // no subject
    const frame = { width: 960, height: 540 };
    const rect = { x: 240, y: 14, width: 512, height: 512 };
    const out = await expandImage(photo, alpha, frame, rect);
    expect(out.width).toBe(960);
    // Inside the rect: the photo's pixels.
    const i = (100 * 512 + 100) * 4, o = ((14 + 100) * 960 + 240 + 100) * 4;
    expect([...out.data.subarray(o, o + 3)]).toEqual([...photo.data.subarray(i, i + 3)]);
    // The step across each vertical border is like any step inside the photo.
    const inside: number[] = [];
    for (let x = 260; x < 730; x += 7) inside.push(colDiff(out, x, 20, 520));
    inside.sort((a, b) => a - b);
    const typical = inside[Math.floor(inside.length * 0.9)]!;
    for (const bx of [239, 751]) expect(colDiff(out, bx, 20, 520)).toBeLessThanOrEqual(typical * 1.5 + 1.5);
    // Horizontal borders (top at y=13/14, bottom at 525/526).
    const rowDiff = (y: number) => {
      let s = 0;
      for (let x = 0; x < 960; x++) for (let c = 0; c < 3; c++) s += Math.abs(out.data[(y * 960 + x) * 4 + c]! - out.data[((y + 1) * 960 + x) * 4 + c]!);
      return s / (960 * 3);
    };
    const rows: number[] = [];
    for (let y = 40; y < 500; y += 9) rows.push(rowDiff(y));
    rows.sort((a, b) => a - b);
    expect(rowDiff(13)).toBeLessThanOrEqual(rows[Math.floor(rows.length * 0.9)]! * 1.5 + 1.5);
  });

  it('continues a gradient: the outside keeps its direction and no plateau jump at the border', async () => {
    const photo = makeBackdrop(400, 400, 'gradient');
    const out = await expandImage(photo, new Uint8Array(400 * 400), { width: 800, height: 400 }, { x: 200, y: 0, width: 400, height: 400 });
    // Along the middle row, the blue channel falls left→right in the photo; outside it must not jump back.
    const b = (x: number) => out.data[(200 * 800 + x) * 4 + 2]!;
    expect(Math.abs(b(199) - b(200))).toBeLessThanOrEqual(3);
    expect(Math.abs(b(599) - b(600))).toBeLessThanOrEqual(3);
    expect(b(20)).toBeGreaterThanOrEqual(b(200) - 3);
    expect(b(780)).toBeLessThanOrEqual(b(599) + 3);
  });

  it('does not copy the subject into the extension', async () => {
    // A red square subject at the photo's right edge on a grey backdrop.
    const photo = makeBackdrop(300, 300, 'plain');
    const alpha = new Uint8Array(300 * 300);
    for (let y = 100; y < 200; y++) for (let x = 220; x < 300; x++) {
      alpha[y * 300 + x] = 255;
      photo.data.set([220, 20, 20, 255], (y * 300 + x) * 4);
    }
    const out = await expandImage(photo, alpha, { width: 600, height: 300 }, { x: 150, y: 0, width: 300, height: 300 });
    let red = 0;
    for (let y = 0; y < 300; y++) for (let x = 470; x < 600; x++) {
      const o = (y * 600 + x) * 4;
      if (out.data[o]! > 180 && out.data[o + 1]! < 80) red++;
    }
    expect(red).toBe(0);
  });
});
