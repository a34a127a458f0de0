import type { Placement } from '../engine/model/template.js';
import type { FramePlacement, SubjectBox } from './types.js';

export const ANCHORS = ['center', 'top', 'bottom', 'left', 'right', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

/** The template's placement with its documented defaults (bottom, 6 % padding, scale 1, no crop). */
export function resolvePlacement(p: Placement | undefined): FramePlacement {
  return { anchor: p?.anchor ?? 'bottom', padding: p?.padding ?? 0.06, scale: p?.scale ?? 1, allow_crop: p?.allow_crop ?? false };
}

/** Maps photo pixels to frame pixels: frame = offset + photo × scale. */
export interface PhotoTransform {
  scale: number;
  x: number;
  y: number;
}

/**
 * Where the photo goes so that its subject box fits the frame by the template's
 * rules: inside the padded area, at the anchor, `scale` of the largest size that
 * fits. Never cropped unless `allow_crop` (then it covers the padded area).
 */
export function placeSubject(box: SubjectBox, frame: { width: number; height: number }, placement: FramePlacement): PhotoTransform {
  const pad = Math.min(0.45, Math.max(0, placement.padding));
  const padX = frame.width * pad, padY = frame.height * pad;
  const innerW = Math.max(1, frame.width - 2 * padX), innerH = Math.max(1, frame.height - 2 * padY);
  const fit = placement.allow_crop ? Math.max(innerW / box.width, innerH / box.height) : Math.min(innerW / box.width, innerH / box.height);
  const s = fit * Math.min(1, Math.max(0.01, placement.scale));
  const w = box.width * s, h = box.height * s;
  const a = placement.anchor;
  const horiz = a.includes('left') ? 0 : a.includes('right') ? 1 : 0.5;
  const vert = a.includes('top') ? 0 : a.includes('bottom') ? 1 : 0.5;
  const bx = padX + (innerW - w) * horiz;
  const by = padY + (innerH - h) * vert;
  return { scale: s, x: bx - box.x * s, y: by - box.y * s };
}
