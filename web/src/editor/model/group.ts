/**
 * Resizing several elements at once by the handles of their group's bounding
 * box: each element's box (position and size, never a scale factor) is scaled
 * by how much the group box grew on each axis, relative to the group's anchor.
 */
import { bounds, center, resizeBox, round, union } from './geometry.js';
import type { Box, Handle, Rect } from './types.js';

/** The axis-aligned box around the elements' (possibly rotated) boxes; null for none. */
export function groupBox(boxes: Iterable<Box>): Rect | null {
  return union([...boxes].map(bounds));
}

/**
 * The boxes after dragging the group's `handle` by (dx, dy) scene pixels from
 * where the drag started (`starts`). The side or corner opposite the handle
 * stays put; `keepAspect` (shift on a corner) keeps the group's proportions.
 * Each element's centre keeps its relative place in the group and its width
 * and height scale with the group (at least 1 px); a rotated element keeps its
 * rotation, so under an uneven scale its outline only approximately follows.
 */
export function resizeGroup(
  starts: ReadonlyMap<string, Box>,
  handle: Handle,
  dx: number,
  dy: number,
  opts: { keepAspect?: boolean } = {},
): Map<string, Box> {
  const out = new Map<string, Box>();
  const group = groupBox(starts.values());
  if (!group || group.width <= 0 || group.height <= 0) return out;
  const next = resizeBox({ x: group.x, y: group.y, width: group.width, height: group.height }, handle, dx, dy, { keepAspect: opts.keepAspect });
  const kx = next.width / group.width;
  const ky = next.height / group.height;
  for (const [id, b] of starts) {
    const c = center(b);
    const cx = next.x + (c.x - group.x) * kx;
    const cy = next.y + (c.y - group.y) * ky;
    const width = Math.max(1, b.width * kx);
    const height = Math.max(1, b.height * ky);
    out.set(id, { ...b, x: round(cx - width / 2), y: round(cy - height / 2), width: round(width), height: round(height) });
  }
  return out;
}
