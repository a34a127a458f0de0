/**
 * Smart image as a designed region of the scene rather than a pasted tile: the
 * frame's fill (a hex colour or the generated backdrop) covers the region's own
 * shape, and the cut-out subject, with its contact shadow, is a separate
 * transparent layer drawn where the template's smartImage element is. Between
 * the two the template's own elements (an accent shape, say) stay visible.
 */
import type { FramePlacement, PhotoSide, RawImage } from './types.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FrameShape = 'rect' | 'rounded' | 'circle' | 'full-bleed';

/** Where a frame goes in the scene, in output pixels. */
export interface FrameLayout {
  /** The smartImage element's box: the subject is placed in it by `placement`. */
  box: Rect;
  /** What the fill covers (the photo region, the element's box, or the whole scene). */
  region: Rect;
  shape: FrameShape;
  /** Corner radius in output pixels, for `rounded`. */
  radius: number;
  placement: FramePlacement;
}

export interface FrameLayers {
  /** `region`-sized; opaque inside the shape, transparent outside. */
  fill: RawImage;
  /** The subject and its shadow on a transparent canvas at `rect`; null when the fill already shows the subject (expand_image, a provider's picture). */
  subject: { img: RawImage; rect: Rect } | null;
}

/**
 * Where the subject is placed: the element's box, stretched to the region's edge on each side where the
 * subject is cut by its photo's border, so that border lies on the frame's edge (placement puts it there)
 * rather than floating inside the region.
 */
export function subjectArea(layout: FrameLayout, cut: readonly PhotoSide[] = []): Rect {
  const b = { ...layout.box };
  const r = layout.region;
  if (cut.includes('left')) {
    b.width += b.x - r.x;
    b.x = r.x;
  }
  if (cut.includes('right')) b.width = r.x + r.width - b.x;
  if (cut.includes('top')) {
    b.height += b.y - r.y;
    b.y = r.y;
  }
  if (cut.includes('bottom')) b.height = r.y + r.height - b.y;
  return b;
}

export function unionRect(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/**
 * Coverage (0…1) of the shape at a pixel centre, antialiased over about one pixel, for a `w`×`h` region.
 * rect and full-bleed cover everything.
 */
function coverage(shape: FrameShape, radius: number, w: number, h: number): ((x: number, y: number) => number) | null {
  if (shape === 'circle') {
    const rx = w / 2, ry = h / 2;
    return (x, y) => {
      const dx = (x + 0.5 - rx) / rx, dy = (y + 0.5 - ry) / ry;
      // Signed distance to the ellipse, approximated in pixels along the gradient.
      const d = (Math.sqrt(dx * dx + dy * dy) - 1) * Math.min(rx, ry);
      return Math.min(1, Math.max(0, 0.5 - d));
    };
  }
  if (shape === 'rounded') {
    const r = Math.min(radius, w / 2, h / 2);
    if (r <= 0) return null;
    return (x, y) => {
      const px = x + 0.5, py = y + 0.5;
      const cx = px < r ? r : px > w - r ? w - r : px;
      const cy = py < r ? r : py > h - r ? h - r : py;
      const d = Math.hypot(px - cx, py - cy) - r;
      return Math.min(1, Math.max(0, 0.5 - d));
    };
  }
  return null;
}

/** Clears what lies outside the frame's shape (in place): the template shows through there. */
export function clipToShape(img: RawImage, shape: FrameShape, radius: number): RawImage {
  const cover = coverage(shape, radius, img.width, img.height);
  if (!cover) return img;
  const d = img.data;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const k = cover(x, y);
      if (k >= 1) continue;
      const o = (y * img.width + x) * 4 + 3;
      d[o] = Math.round(d[o]! * k);
    }
  return img;
}

/** Mean colour of the opaque pixels of `img` inside `rect` (clamped to the image), or null when none. */
export function meanColour(img: RawImage, rect: Rect): [number, number, number] | null {
  const x0 = Math.max(0, Math.floor(rect.x)), y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(img.width, Math.ceil(rect.x + rect.width)), y1 = Math.min(img.height, Math.ceil(rect.y + rect.height));
  let r = 0, g = 0, b = 0, n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const o = (y * img.width + x) * 4;
      const a = img.data[o + 3]! / 255;
      if (a < 0.5) continue;
      r += img.data[o]!;
      g += img.data[o + 1]!;
      b += img.data[o + 2]!;
      n++;
    }
  return n ? [r / n, g / n, b / n] : null;
}

/**
 * Brings the subject's brightness and colour temperature part of the way towards the backdrop it stands in
 * (in place): a bright, warm set lifts and warms it; a dark, cool one dims and cools it. Partial (`k`), so the
 * product keeps its own colours.
 */
export function matchToBackdrop(subject: RawImage, backdrop: [number, number, number], k = 0.3): void {
  const own = meanColour(subject, { x: 0, y: 0, width: subject.width, height: subject.height });
  if (!own) return;
  const lum = (c: [number, number, number]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  const lo = Math.max(8, lum(own)), lb = Math.max(8, lum(backdrop));
  // Brightness: a fraction of the ratio, bounded so a black set never blackens the product.
  const bright = Math.min(1.25, Math.max(0.7, 1 + (lb / lo - 1) * k * 0.5));
  // Temperature: the backdrop's red/blue balance against the subject's, per channel.
  const warmB = (backdrop[0] + 1) / (backdrop[2] + 1), warmS = (own[0] + 1) / (own[2] + 1);
  const t = Math.min(1.2, Math.max(0.83, Math.pow(warmB / warmS, k * 0.5)));
  const gain: [number, number, number] = [bright * Math.sqrt(t), bright, bright / Math.sqrt(t)];
  const d = subject.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 0) continue;
    for (let c = 0; c < 3; c++) d[i + c] = Math.min(255, d[i + c]! * gain[c]! + 0.5);
  }
}
