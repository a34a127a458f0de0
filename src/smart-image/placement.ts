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
 *
 * A subject cut by the photo's border (`box.cut`) keeps that border at the frame's
 * edge: no padding on a cut side, the cut side on the frame's edge whatever the
 * anchor says, and a subject cut on two opposite sides spans the frame across them
 * (cropped on the other axis if it must be). Cut on all four sides (the subject is
 * the photo), the photo covers the frame. So a subject never floats with a flat side.
 */
export function placeSubject(box: SubjectBox, frame: { width: number; height: number }, placement: FramePlacement): PhotoTransform {
  const cut = new Set(box.cut ?? []);
  const pad = Math.min(0.45, Math.max(0, placement.padding));
  const padX = frame.width * pad, padY = frame.height * pad;
  const padL = cut.has('left') ? 0 : padX, padR = cut.has('right') ? 0 : padX;
  const padT = cut.has('top') ? 0 : padY, padB = cut.has('bottom') ? 0 : padY;
  const innerW = Math.max(1, frame.width - padL - padR), innerH = Math.max(1, frame.height - padT - padB);
  const spanX = cut.has('left') && cut.has('right'), spanY = cut.has('top') && cut.has('bottom');
  let s: number;
  if (spanX && spanY) s = Math.max(frame.width / box.width, frame.height / box.height);
  else if (spanX) s = frame.width / box.width;
  else if (spanY) s = frame.height / box.height;
  else {
    const fit = placement.allow_crop ? Math.max(innerW / box.width, innerH / box.height) : Math.min(innerW / box.width, innerH / box.height);
    s = fit * Math.min(1, Math.max(0.01, placement.scale));
  }
  const w = box.width * s, h = box.height * s;
  const a = placement.anchor;
  const horiz = a.includes('left') ? 0 : a.includes('right') ? 1 : 0.5;
  const vert = a.includes('top') ? 0 : a.includes('bottom') ? 1 : 0.5;
  const bx = cut.has('left') ? 0 : cut.has('right') ? frame.width - w : padL + (innerW - w) * horiz;
  const by = cut.has('top') ? 0 : cut.has('bottom') ? frame.height - h : padT + (innerH - h) * vert;
  return { scale: s, x: bx - box.x * s, y: by - box.y * s };
}
