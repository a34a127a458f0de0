import type { Guide, Rect } from './types.js';

/** The lines a box offers to snap to: its left/centre/right (x) and top/middle/bottom (y). */
function lines(r: Rect): { x: number[]; y: number[] } {
  return { x: [r.x, r.x + r.width / 2, r.x + r.width], y: [r.y, r.y + r.height / 2, r.y + r.height] };
}

interface AxisHit {
  delta: number;
  at: number;
  /** The target rectangle the line belongs to (the scene for scene lines). */
  target: Rect;
}

/** The smallest move along one axis that puts one of `own` on one of the targets' lines, within `threshold`. */
function bestOnAxis(own: number[], targets: readonly Rect[], axis: 'x' | 'y', threshold: number): AxisHit | null {
  let best: AxisHit | null = null;
  for (const target of targets) {
    for (const line of lines(target)[axis]) {
      for (const v of own) {
        const delta = line - v;
        if (Math.abs(delta) <= threshold && (!best || Math.abs(delta) < Math.abs(best.delta))) best = { delta, at: line, target };
      }
    }
  }
  return best;
}

function guidesFor(axis: 'x' | 'y', at: number, moved: Rect, targets: readonly Rect[]): Guide {
  // A guide spans the moved box and every target that has a line at that position.
  const on = targets.filter((t) => lines(t)[axis].some((l) => Math.abs(l - at) < 0.01));
  const spans = [moved, ...on];
  if (axis === 'x') {
    return { axis, at, from: Math.min(...spans.map((r) => r.y)), to: Math.max(...spans.map((r) => r.y + r.height)) };
  }
  return { axis, at, from: Math.min(...spans.map((r) => r.x)), to: Math.max(...spans.map((r) => r.x + r.width)) };
}

export interface SnapResult {
  dx: number;
  dy: number;
  guides: Guide[];
}

/**
 * Snaps a moving rectangle (the selection's bounds after the raw move) to the
 * scene's edges and centre lines and to other elements' edges and centres.
 * Answers the extra offset to add and the guides to draw. `threshold` is in
 * scene pixels (the UI converts a few screen pixels at the current zoom).
 */
export function snapMove(moving: Rect, others: readonly Rect[], scene: { width: number; height: number }, threshold: number): SnapResult {
  const sceneRect: Rect = { x: 0, y: 0, width: scene.width, height: scene.height };
  const targets = [sceneRect, ...others];
  const own = lines(moving);
  const hx = bestOnAxis(own.x, targets, 'x', threshold);
  const hy = bestOnAxis(own.y, targets, 'y', threshold);
  const dx = hx?.delta ?? 0;
  const dy = hy?.delta ?? 0;
  const moved = { ...moving, x: moving.x + dx, y: moving.y + dy };
  const guides: Guide[] = [];
  if (hx) guides.push(guidesFor('x', hx.at, moved, targets));
  if (hy) guides.push(guidesFor('y', hy.at, moved, targets));
  return { dx, dy, guides };
}

/**
 * Snaps the edges a resize handle moves (an unrotated box): `edges` says which
 * sides follow the pointer. Answers the rectangle with those sides snapped.
 */
export function snapResize(
  rect: Rect,
  edges: { left?: boolean; right?: boolean; top?: boolean; bottom?: boolean },
  others: readonly Rect[],
  scene: { width: number; height: number },
  threshold: number,
): { rect: Rect; guides: Guide[] } {
  const targets = [{ x: 0, y: 0, width: scene.width, height: scene.height }, ...others];
  let { x, y, width, height } = rect;
  const guides: Guide[] = [];
  const edgeX = edges.left ? x : edges.right ? x + width : null;
  if (edgeX !== null) {
    const hit = bestOnAxis([edgeX], targets, 'x', threshold);
    if (hit) {
      if (edges.left) {
        x += hit.delta;
        width -= hit.delta;
      } else width += hit.delta;
      if (width > 0) guides.push(guidesFor('x', hit.at, { x, y, width, height }, targets));
      else ({ x, width } = rect);
    }
  }
  const edgeY = edges.top ? y : edges.bottom ? y + height : null;
  if (edgeY !== null) {
    const hit = bestOnAxis([edgeY], targets, 'y', threshold);
    if (hit) {
      if (edges.top) {
        y += hit.delta;
        height -= hit.delta;
      } else height += hit.delta;
      if (height > 0) guides.push(guidesFor('y', hit.at, { x, y, width, height }, targets));
      else ({ y, height } = rect);
    }
  }
  return { rect: { x, y, width, height }, guides };
}
