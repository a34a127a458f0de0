import type { FocalPoint } from '../model/template.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Which part of the source to draw where, for `cover` (fill the frame, crop
 * around the focal point) and `contain` (whole image, centred on the focal
 * point's side, letterboxed).
 */
export function fitImage(
  src: { width: number; height: number },
  frame: Rect,
  fit: 'cover' | 'contain',
  focal: FocalPoint,
): { source: Rect; dest: Rect } {
  const srcAspect = src.width / src.height;
  const frameAspect = frame.w / frame.h;
  if (fit === 'cover') {
    let sw = src.width;
    let sh = src.height;
    if (srcAspect > frameAspect) sw = src.height * frameAspect;
    else sh = src.width / frameAspect;
    const sx = clamp(focal.x * src.width - sw / 2, 0, src.width - sw);
    const sy = clamp(focal.y * src.height - sh / 2, 0, src.height - sh);
    return { source: { x: sx, y: sy, w: sw, h: sh }, dest: { ...frame } };
  }
  const scale = Math.min(frame.w / src.width, frame.h / src.height);
  const dw = src.width * scale;
  const dh = src.height * scale;
  return {
    source: { x: 0, y: 0, w: src.width, h: src.height },
    dest: { x: frame.x + (frame.w - dw) * focal.x, y: frame.y + (frame.h - dh) * focal.y, w: dw, h: dh },
  };
}

/** Place a box of the given aspect inside a frame (logos): contain, aligned. */
export function alignContain(
  aspect: number,
  frame: Rect,
  align: 'left' | 'center' | 'right',
  verticalAlign: 'top' | 'middle' | 'bottom',
): Rect {
  let w = frame.w;
  let h = w / aspect;
  if (h > frame.h) {
    h = frame.h;
    w = h * aspect;
  }
  const fx = align === 'left' ? 0 : align === 'right' ? 1 : 0.5;
  const fy = verticalAlign === 'top' ? 0 : verticalAlign === 'bottom' ? 1 : 0.5;
  return { x: frame.x + (frame.w - w) * fx, y: frame.y + (frame.h - h) * fy, w, h };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), Math.max(lo, hi));
}
