/**
 * The reference ad as data: one source of truth for every implementation
 * (Adsmith, Chromium, satori) so that they draw the same thing.
 *
 * All boxes are in CSS px of the output image (1 px = 1 output pixel, no DPR).
 * Text boxes are top-aligned: the first line box starts at `y`.
 */
import { fileURLToPath } from 'node:url';

export interface Size {
  width: number;
  height: number;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HeadingFit {
  /** Largest font size tried, px. */
  maxSize: number;
  /** Smallest font size allowed, px; used even if the text still overflows. */
  minSize: number;
  /** Sizes tried are maxSize, maxSize - step, … down to minSize. */
  step: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  maxLines: number;
}

export interface AdLayout extends Size {
  /** Product photo, cover-cropped (centred) into a rounded frame. */
  photo: Box & { radius: number };
  /** Logo drawn at this box; the PNG's aspect ratio (10:3) matches it exactly. */
  logo: Box;
  /** Heading: box and auto-fit range. `h` = maxLines × maxSize × lineHeight (rounded up). */
  heading: Box & HeadingFit;
  /** Two explicit body lines (no wrapping), top-aligned in the box. */
  body: Box & { size: number; lineHeight: number };
  /** Pill button with a centred label. */
  button: Box & { radius: number; labelSize: number };
}

export const COLORS = {
  background: '#F6F1EA',
  heading: '#14213D',
  body: '#4B5563',
  button: '#E4572E',
  buttonLabel: '#FFFFFF',
} as const;

export const TEXTS = {
  heading: 'Handmade ceramics for slow mornings, now 30% off this week',
  body: ['Stoneware glazed by hand in small batches.', 'Free delivery on orders over $50.'] as const,
  button: 'Shop now',
} as const;

/** CSS / satori font family name used for every text. */
export const FONT_FAMILY = 'Inter';

export const WEIGHTS = { heading: 700, body: 400, button: 700 } as const;

const repoRoot = new URL('../../', import.meta.url);
const fontDir = new URL('node_modules/@fontsource/inter/files/', repoRoot);

/** Absolute paths of the inputs. woff2 for browsers/Adsmith, woff for satori (no woff2 support). */
export const FILES = {
  photo: fileURLToPath(new URL('bench/assets/photo.jpg', repoRoot)),
  logo: fileURLToPath(new URL('bench/assets/logo.png', repoRoot)),
  font: {
    400: {
      woff2: fileURLToPath(new URL('inter-latin-400-normal.woff2', fontDir)),
      woff: fileURLToPath(new URL('inter-latin-400-normal.woff', fontDir)),
    },
    700: {
      woff2: fileURLToPath(new URL('inter-latin-700-normal.woff2', fontDir)),
      woff: fileURLToPath(new URL('inter-latin-700-normal.woff', fontDir)),
    },
  },
} as const;

/** Square 1080×1080: photo on top, text and button below. */
const SQUARE: AdLayout = {
  width: 1080,
  height: 1080,
  photo: { x: 60, y: 60, w: 960, h: 520, radius: 32 },
  logo: { x: 92, y: 92, w: 200, h: 60 },
  heading: { x: 60, y: 620, w: 960, h: 166, maxSize: 72, minSize: 40, step: 2, lineHeight: 1.15, maxLines: 2 },
  body: { x: 60, y: 806, w: 960, h: 84, size: 30, lineHeight: 1.4 },
  button: { x: 60, y: 930, w: 300, h: 90, radius: 45, labelSize: 32 },
};

/** Landscape 1920×1080: photo in the left half, text column on the right. */
const LANDSCAPE: AdLayout = {
  width: 1920,
  height: 1080,
  photo: { x: 60, y: 60, w: 900, h: 960, radius: 32 },
  logo: { x: 1040, y: 250, w: 200, h: 60 },
  heading: { x: 1040, y: 360, w: 820, h: 166, maxSize: 72, minSize: 40, step: 2, lineHeight: 1.15, maxLines: 2 },
  body: { x: 1040, y: 560, w: 820, h: 96, size: 34, lineHeight: 1.4 },
  button: { x: 1040, y: 712, w: 340, h: 96, radius: 48, labelSize: 34 },
};

export const LAYOUTS: readonly AdLayout[] = [SQUARE, LANDSCAPE];

export const SIZES: readonly Size[] = LAYOUTS.map(({ width, height }) => ({ width, height }));

export function layoutFor(size: Size): AdLayout {
  const layout = LAYOUTS.find((l) => l.width === size.width && l.height === size.height);
  if (!layout) throw new Error(`reference ad: no layout for ${size.width}x${size.height}`);
  return layout;
}

/** Candidate heading sizes, largest first: maxSize, maxSize - step, …, minSize. */
export function headingSizes(fit: HeadingFit): number[] {
  const sizes: number[] = [];
  for (let s = fit.maxSize; s > fit.minSize; s -= fit.step) sizes.push(s);
  sizes.push(fit.minSize);
  return sizes;
}

/**
 * The fit rule every implementation applies to the measured height (px) of
 * the heading laid out at font size `size` in a box of width `w`: it fits if
 * it takes at most maxLines lines. Lines are counted as height / line height,
 * rounded, because engines round line boxes differently (Chromium snaps
 * ascent/descent to whole pixels: 2 lines at 56px × 1.15 measure 130, not
 * 128.8). Since h = maxLines × maxSize × lineHeight, fitting the lines also
 * fits the box.
 */
export function headingFits(fit: HeadingFit, size: number, measuredHeight: number): boolean {
  return Math.round(measuredHeight / (size * fit.lineHeight)) <= fit.maxLines;
}
