/**
 * Seam measures for expand_image: the step across the photo's border against the
 * photo's own steps, and how much texture the extension carries. Plus two naive
 * fills the tests use as controls (the measures must catch them).
 */
import type { RawImage } from '../../../src/smart-image/types.js';

type Rect = { x: number; y: number; width: number; height: number };

/** Mean |Δ| (over RGB) between columns x and x+1, rows y0…y1-1. */
export function colStep(img: RawImage, x: number, y0: number, y1: number): number {
  let s = 0;
  for (let y = y0; y < y1; y++) for (let c = 0; c < 3; c++) s += Math.abs(img.data[(y * img.width + x) * 4 + c]! - img.data[(y * img.width + x + 1) * 4 + c]!);
  return s / ((y1 - y0) * 3);
}

/** Mean |Δ| between rows y and y+1, columns x0…x1-1. */
export function rowStep(img: RawImage, y: number, x0: number, x1: number): number {
  let s = 0;
  for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) s += Math.abs(img.data[(y * img.width + x) * 4 + c]! - img.data[((y + 1) * img.width + x) * 4 + c]!);
  return s / ((x1 - x0) * 3);
}

/** The photo's natural step: the mean column-to-column and row-to-row |Δ| over the whole photo. */
export function naturalSteps(photo: RawImage): { col: number; row: number } {
  let col = 0, row = 0;
  for (let x = 0; x < photo.width - 1; x++) col += colStep(photo, x, 0, photo.height);
  for (let y = 0; y < photo.height - 1; y++) row += rowStep(photo, y, 0, photo.width);
  return { col: col / (photo.width - 1), row: row / (photo.height - 1) };
}

export interface SeamReport {
  /**
   * Steps across the left, right (columns) and bottom (rows) borders: the largest of
   * the border step and the two next steps outward, so a seam moved a pixel or two
   * out (by a blend) is still caught.
   */
  left: number;
  right: number;
  bottom: number;
  natural: { col: number; row: number };
  /** Mean column step inside the left extension (texture carried out there). */
  outsideTexture: number;
}

/** Measure an expanded frame whose photo sits at `rect` (fully inside the frame, not touching its edges). */
export function seamReport(out: RawImage, photo: RawImage, rect: Rect): SeamReport {
  const y0 = rect.y + 2, y1 = rect.y + rect.height - 2;
  let outside = 0;
  const n = Math.max(1, rect.x - 4);
  for (let x = 2; x < rect.x - 2; x++) outside += colStep(out, x, y0, y1);
  const x0 = rect.x + 2, x1 = rect.x + rect.width - 2;
  return {
    left: Math.max(...[1, 2, 3].map((d) => colStep(out, rect.x - d, y0, y1))),
    right: Math.max(...[1, 2, 3].map((d) => colStep(out, rect.x + rect.width - 2 + d, y0, y1))),
    bottom: Math.max(...[1, 2, 3].map((d) => rowStep(out, rect.y + rect.height - 2 + d, x0, x1))),
    natural: naturalSteps(photo),
    outsideTexture: outside / n,
  };
}

/** No visible seam: each border step at most 1.5× the photo's natural step + 1.5 levels. */
export function seamless(r: SeamReport): boolean {
  return r.left <= r.natural.col * 1.5 + 1.5 && r.right <= r.natural.col * 1.5 + 1.5 && r.bottom <= r.natural.row * 1.5 + 1.5;
}

/** The extension carries texture: its column steps are at least half the photo's. */
export function textured(r: SeamReport): boolean {
  return r.outsideTexture >= r.natural.col * 0.5;
}

export type Side = 'left' | 'right' | 'top' | 'bottom';

export interface BorderSeam {
  side: Side;
  /** Largest of the step across the border and the two next steps outward (as in seamReport). */
  step: number;
  /** The photo's own mean step across that direction (columns for left/right, rows for top/bottom). */
  natural: number;
  /** step ÷ (1.5 × natural + 1.5): at most 1 is seamless by the rule `seamless` uses. */
  ratio: number;
}

/**
 * The seam on every side of the photo that has fill beyond it: a photo placed anywhere
 * in a frame of any aspect (it may reach past the frame's edges; a side with fewer than
 * 4 px of fill outside it, or that lies outside the frame, is not measured). `photo` is
 * the photo at its placed size; `rect` is integer (expandImage rounds the same way).
 */
export function borderSeams(out: RawImage, photo: RawImage, rect: Rect): BorderSeam[] {
  const natural = naturalSteps(photo);
  const x0 = Math.max(0, rect.x) + 2, x1 = Math.min(out.width, rect.x + rect.width) - 2;
  const y0 = Math.max(0, rect.y) + 2, y1 = Math.min(out.height, rect.y + rect.height) - 2;
  const right = rect.x + rect.width, bottom = rect.y + rect.height;
  const seams: BorderSeam[] = [];
  const add = (side: Side, steps: number[], nat: number) => {
    const step = Math.max(...steps);
    seams.push({ side, step, natural: nat, ratio: step / (nat * 1.5 + 1.5) });
  };
  const d3 = [1, 2, 3];
  if (y1 - y0 >= 8) {
    if (rect.x >= 4) add('left', d3.map((d) => colStep(out, rect.x - d, y0, y1)), natural.col);
    if (out.width - right >= 4) add('right', d3.map((d) => colStep(out, right - 2 + d, y0, y1)), natural.col);
  }
  if (x1 - x0 >= 8) {
    if (rect.y >= 4) add('top', d3.map((d) => rowStep(out, rect.y - d, x0, x1)), natural.row);
    if (out.height - bottom >= 4) add('bottom', d3.map((d) => rowStep(out, bottom - 2 + d, x0, x1)), natural.row);
  }
  return seams;
}

/** Control: the photo placed with its own pixels copied hard into the fill (a copy-paste seam), mirrored so edges meet edges of the other side. */
export function copyPasteFill(photo: RawImage, frame: { width: number; height: number }, rect: Rect): RawImage {
  const mod = (v: number, n: number) => ((v % n) + n) % n;
  return frameWith(photo, frame, rect, (x, y) => {
    // Shift by half the photo: the pasted copy's edge next to the border is the photo's middle, not its edge.
    const o = (mod(y - rect.y + (photo.height >> 1), photo.height) * photo.width + mod(x - rect.x + (photo.width >> 1), photo.width)) * 4;
    return [photo.data[o]!, photo.data[o + 1]!, photo.data[o + 2]!];
  });
}

function frameWith(photo: RawImage, frame: { width: number; height: number }, rect: Rect, fill: (x: number, y: number) => [number, number, number]): RawImage {
  const data = new Uint8Array(frame.width * frame.height * 4);
  for (let y = 0; y < frame.height; y++)
    for (let x = 0; x < frame.width; x++) {
      const px = x - rect.x, py = y - rect.y, o = (y * frame.width + x) * 4;
      if (px >= 0 && py >= 0 && px < photo.width && py < photo.height) data.set(photo.data.subarray((py * photo.width + px) * 4, (py * photo.width + px) * 4 + 4), o);
      else data.set([...fill(x, y), 255], o);
    }
  return { data, width: frame.width, height: frame.height };
}

/** Control: the hole painted in the photo's mean colour. */
export function meanFill(photo: RawImage, frame: { width: number; height: number }, rect: Rect): RawImage {
  const m = [0, 0, 0];
  for (let i = 0; i < photo.data.length; i += 4) for (let c = 0; c < 3; c++) m[c]! += photo.data[i + c]!;
  const n = photo.data.length / 4;
  return frameWith(photo, frame, rect, () => [m[0]! / n, m[1]! / n, m[2]! / n]);
}

/** Control: the photo repeated (tiled) over the frame. */
export function tileFill(photo: RawImage, frame: { width: number; height: number }, rect: Rect): RawImage {
  const mod = (v: number, n: number) => ((v % n) + n) % n;
  return frameWith(photo, frame, rect, (x, y) => {
    const o = (mod(y - rect.y, photo.height) * photo.width + mod(x - rect.x, photo.width)) * 4;
    return [photo.data[o]!, photo.data[o + 1]!, photo.data[o + 2]!];
  });
}
