import type { Box, Handle, Point, Rect } from './types.js';

const RAD = Math.PI / 180;

export function center(box: Rect): Point {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The four corners of a (possibly rotated) box in scene pixels, clockwise from top-left. */
export function corners(box: Box): Point[] {
  const c = center(box);
  const a = (box.rotation ?? 0) * RAD;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const hw = box.width / 2;
  const hh = box.height / 2;
  return [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ].map(([lx, ly]) => ({ x: c.x + lx! * cos - ly! * sin, y: c.y + lx! * sin + ly! * cos }));
}

/** The axis-aligned rectangle around a rotated box (what snapping and the marquee use). */
export function bounds(box: Box): Rect {
  if (!box.rotation) return { x: box.x, y: box.y, width: box.width, height: box.height };
  const pts = corners(box);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function union(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null;
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x, y, width: right - x, height: bottom - y };
}

/** A rectangle from two corner points in any order (the marquee). */
export function rectFromPoints(a: Point, b: Point): Rect {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) };
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The point in the box's own frame (origin at its top-left, unrotated). */
export function toLocal(box: Box, p: Point): Point {
  const c = center(box);
  const a = -(box.rotation ?? 0) * RAD;
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  return { x: dx * Math.cos(a) - dy * Math.sin(a) + box.width / 2, y: dx * Math.sin(a) + dy * Math.cos(a) + box.height / 2 };
}

export function containsPoint(box: Box, p: Point): boolean {
  const l = toLocal(box, p);
  return l.x >= 0 && l.y >= 0 && l.x <= box.width && l.y <= box.height;
}

export interface Hittable {
  id: string;
  box: Box;
}

/** The topmost item under a point; `items` are in paint order (last is on top). */
export function hitTest(items: readonly Hittable[], p: Point): string | null {
  for (let i = items.length - 1; i >= 0; i--) if (containsPoint(items[i]!.box, p)) return items[i]!.id;
  return null;
}

/** Ids of the items whose bounds the marquee touches, in paint order. A click-sized marquee selects nothing. */
export function marqueeHits(items: readonly Hittable[], marquee: Rect): string[] {
  if (marquee.width < 1 && marquee.height < 1) return [];
  return items.filter((it) => intersects(bounds(it.box), marquee)).map((it) => it.id);
}

const HANDLE_SIGNS: Record<Handle, [number, number]> = {
  n: [0, -1],
  s: [0, 1],
  e: [1, 0],
  w: [-1, 0],
  ne: [1, -1],
  nw: [-1, -1],
  se: [1, 1],
  sw: [-1, 1],
};

export function handleSigns(handle: Handle): [number, number] {
  return HANDLE_SIGNS[handle];
}

/**
 * The box after dragging a resize handle by (dx, dy) scene pixels. Width and
 * height change (never a scale factor) and the opposite side or corner stays
 * where it was, also for rotated boxes. `keepAspect` (shift on a corner) keeps
 * the proportions.
 */
export function resizeBox(start: Box, handle: Handle, dx: number, dy: number, opts: { keepAspect?: boolean; minSize?: number } = {}): Box {
  const min = opts.minSize ?? 1;
  const [sx, sy] = HANDLE_SIGNS[handle];
  const a = (start.rotation ?? 0) * RAD;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  // The pointer's movement in the box's own (unrotated) frame.
  const lx = dx * cos + dy * sin;
  const ly = -dx * sin + dy * cos;
  let width = sx === 0 ? start.width : Math.max(min, start.width + sx * lx);
  let height = sy === 0 ? start.height : Math.max(min, start.height + sy * ly);
  if (opts.keepAspect && sx !== 0 && sy !== 0) {
    const k = Math.max(width / start.width, height / start.height);
    width = Math.max(min, start.width * k);
    height = Math.max(min, start.height * k);
  }
  // The fixed anchor: the side or corner opposite the handle, in scene pixels.
  const c = center(start);
  const ax = (-sx * start.width) / 2;
  const ay = (-sy * start.height) / 2;
  const anchor = { x: c.x + ax * cos - ay * sin, y: c.y + ax * sin + ay * cos };
  // The new centre sits at (sx·w/2, sy·h/2) from the anchor in the box frame.
  const bx = (sx * width) / 2;
  const by = (sy * height) / 2;
  const cx = anchor.x + bx * cos - by * sin;
  const cy = anchor.y + bx * sin + by * cos;
  return { ...start, x: round(cx - width / 2), y: round(cy - height / 2), width: round(width), height: round(height) };
}

/**
 * The rotation (degrees, clockwise, in (-180, 180]) that points the box's top
 * towards the pointer, as the rotate handle above the box does; `step` snaps it.
 */
export function rotationTowards(box: Box, pointer: Point, step = 0): number {
  const c = center(box);
  let deg = Math.atan2(pointer.y - c.y, pointer.x - c.x) / RAD + 90;
  if (step > 0) deg = Math.round(deg / step) * step;
  deg = ((((deg + 180) % 360) + 360) % 360) - 180;
  if (deg === -180) deg = 180;
  return round(deg);
}

/** Scene values are kept to 1/100 px: enough for any screen, and the saved document stays readable. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
