/**
 * Every smart-image operation on one photo, through the service as a user's request
 * goes (prepare → renderFrame), with what can be measured on the results. Shared by
 * test/smart-image/real-photos.test.ts and scripts/contact-sheet.ts, so the sheet
 * shows exactly what the test measured.
 */
import { resizeRgba } from '../../../src/smart-image/image.js';
import { placeSubject, resolvePlacement } from '../../../src/smart-image/placement.js';
import type { OfflineSmartImageService } from '../../../src/smart-image/service.js';
import type { FrameRequest, PreparedSmartImage, RawImage } from '../../../src/smart-image/types.js';
import { borderSeams, type BorderSeam } from './seam.js';

type Rect = { x: number; y: number; width: number; height: number };

/** expand_image frames from 8:1 to 1:4 (the range), at sizes a 512-px photo fills without upscaling much. */
export const EXPAND_FRAMES = [
  { name: 'wide 8:1', width: 2048, height: 256 },
  { name: 'wide 4:1', width: 1024, height: 256 },
  { name: 'tall 1:4', width: 256, height: 1024 },
] as const;

/** lifestyle_shot_by_text frame (the templates' smart-image frames are 0.65…1.36). */
export const LIFESTYLE_FRAME = { width: 480, height: 560 };
export const LIFESTYLE_HEX = '#e8dcc8';
export const LIFESTYLE_PROMPT = 'marble counter, morning light';

export interface ExpandResult {
  name: string;
  out: RawImage;
  /** Where the photo sits in the frame (rounded as expandImage rounds it). */
  rect: Rect;
  /** The photo at its placed size (for the photo's own steps). */
  placed: RawImage;
  seams: BorderSeam[];
  /** The fill alone (the strips beside or above/below the photo, joined), or null when the fill is too thin to look at. */
  fill: RawImage | null;
}

export interface LifestyleResult {
  kind: 'hex' | 'prompt';
  out: RawImage;
  /** The subject's box in frame pixels. */
  box: Rect;
}

export interface PhotoRun {
  prep: PreparedSmartImage;
  expands: ExpandResult[];
  lifestyles: LifestyleResult[];
}

function frameRequest(width: number, height: number): FrameRequest {
  return { width, height, placement: resolvePlacement(undefined) };
}

/** Where the photo goes in the frame, integer, exactly as the service computes it and expandImage rounds it. */
export function photoRect(prep: PreparedSmartImage, frame: FrameRequest): Rect {
  const t = placeSubject(prep.box, frame, frame.placement);
  return {
    x: Math.round(t.x),
    y: Math.round(t.y),
    width: Math.max(1, Math.round(prep.photo.width * t.scale)),
    height: Math.max(1, Math.round(prep.photo.height * t.scale)),
  };
}

/** The subject's box in frame pixels. */
export function subjectRect(prep: PreparedSmartImage, frame: FrameRequest): Rect {
  const t = placeSubject(prep.box, frame, frame.placement);
  return { x: t.x + prep.box.x * t.scale, y: t.y + prep.box.y * t.scale, width: prep.box.width * t.scale, height: prep.box.height * t.scale };
}

function crop(img: RawImage, r: Rect): RawImage {
  const data = new Uint8Array(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) data.set(img.data.subarray(((r.y + y) * img.width + r.x) * 4, ((r.y + y) * img.width + r.x + r.width) * 4), y * r.width * 4);
  return { data, width: r.width, height: r.height };
}

/** Join images side by side (same height) or stacked (same width). */
function join(parts: RawImage[], horizontal: boolean): RawImage {
  const width = horizontal ? parts.reduce((s, p) => s + p.width, 0) : parts[0]!.width;
  const height = horizontal ? parts[0]!.height : parts.reduce((s, p) => s + p.height, 0);
  const data = new Uint8Array(width * height * 4);
  let off = 0;
  for (const p of parts) {
    for (let y = 0; y < p.height; y++) {
      const dst = horizontal ? (y * width + off) * 4 : ((off + y) * width) * 4;
      data.set(p.data.subarray(y * p.width * 4, (y + 1) * p.width * 4), dst);
    }
    off += horizontal ? p.width : p.height;
  }
  return { data, width, height };
}

/**
 * The filled area alone: the strips left and right of the photo joined side by side
 * (or above and below, stacked, for a tall frame), each at least 16 px. Null when
 * there is no such strip.
 */
export function fillOnly(out: RawImage, rect: Rect): RawImage | null {
  const left = Math.max(0, rect.x), right = Math.max(0, out.width - (rect.x + rect.width));
  const top = Math.max(0, rect.y), bottom = Math.max(0, out.height - (rect.y + rect.height));
  const MIN = 16;
  if (left + right >= top + bottom) {
    const parts = [left >= MIN ? crop(out, { x: 0, y: 0, width: left, height: out.height }) : null, right >= MIN ? crop(out, { x: out.width - right, y: 0, width: right, height: out.height }) : null].filter((p): p is RawImage => p !== null);
    return parts.length ? join(parts, true) : null;
  }
  const parts = [top >= MIN ? crop(out, { x: 0, y: 0, width: out.width, height: top }) : null, bottom >= MIN ? crop(out, { x: 0, y: out.height - bottom, width: out.width, height: bottom }) : null].filter((p): p is RawImage => p !== null);
  return parts.length ? join(parts, false) : null;
}

/** Run expand_image (every frame of EXPAND_FRAMES) and lifestyle_shot_by_text (hex and prompt) on one photo; one cut-out. */
export async function runPhoto(service: OfflineSmartImageService, bytes: Uint8Array, seed = 1): Promise<PhotoRun> {
  const prep = await service.prepare({ image: bytes, operation: 'expand_image', seed });
  const expands: ExpandResult[] = [];
  for (const f of EXPAND_FRAMES) {
    const frame = frameRequest(f.width, f.height);
    const out = await service.renderFrame(prep, frame);
    const rect = photoRect(prep, frame);
    const placed = await resizeRgba(prep.photo, rect.width, rect.height, 'lanczos3');
    expands.push({ name: f.name, out, rect, placed, seams: borderSeams(out, placed, rect), fill: fillOnly(out, rect) });
  }
  const lifestyles: LifestyleResult[] = [];
  for (const [kind, input] of [['hex', LIFESTYLE_HEX], ['prompt', LIFESTYLE_PROMPT]] as const) {
    const p = await service.prepare({ image: bytes, operation: 'lifestyle_shot_by_text', input, seed });
    const frame = frameRequest(LIFESTYLE_FRAME.width, LIFESTYLE_FRAME.height);
    lifestyles.push({ kind, out: await service.renderFrame(p, frame), box: subjectRect(p, frame) });
  }
  return { prep, expands, lifestyles };
}

/** Fraction of pixels whose alpha is neither 0 nor 255 (the matte has not decided). */
export function undecidedFraction(alpha: Uint8Array): number {
  let n = 0;
  for (const a of alpha) if (a > 0 && a < 255) n++;
  return n / alpha.length;
}

/** Largest 4-connected blob of alpha ≥ 128, as a fraction of the image. */
export function largestBlobFraction(alpha: Uint8Array, w: number, h: number): number {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  let best = 0;
  for (let i = 0; i < w * h; i++) {
    if (seen[i] || alpha[i]! < 128) continue;
    let size = 0;
    seen[i] = 1;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop()!;
      size++;
      const x = j % w;
      for (const k of [x > 0 ? j - 1 : -1, x < w - 1 ? j + 1 : -1, j - w, j + w])
        if (k >= 0 && k < w * h && !seen[k] && alpha[k]! >= 128) {
          seen[k] = 1;
          stack.push(k);
        }
    }
    best = Math.max(best, size);
  }
  return best / (w * h);
}
