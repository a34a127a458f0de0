import { boxBlur, drawOver, hexToRgb, newImage, resizeRgba } from './image.js';
import { placeSubject, type PhotoTransform } from './placement.js';
import { paintScene, parsePrompt } from './scene.js';
import type { FramePlacement, PreparedSmartImage, RawImage } from './types.js';

/** The subject resized into frame space: the cropped subject picture and where it goes. */
export async function subjectInFrame(prep: PreparedSmartImage, t: PhotoTransform): Promise<{ img: RawImage; x: number; y: number }> {
  const b = prep.box;
  const m = Math.max(2, Math.round(Math.max(b.width, b.height) * 0.01));
  const cx = Math.max(0, b.x - m), cy = Math.max(0, b.y - m);
  const cw = Math.min(prep.photo.width, b.x + b.width + m) - cx, ch = Math.min(prep.photo.height, b.y + b.height + m) - cy;
  const crop = new Uint8Array(cw * ch * 4);
  for (let y = 0; y < ch; y++) crop.set(prep.subject.data.subarray(((cy + y) * prep.photo.width + cx) * 4, ((cy + y) * prep.photo.width + cx + cw) * 4), y * cw * 4);
  const x = Math.round(t.x + cx * t.scale), y = Math.round(t.y + cy * t.scale);
  const img = await resizeRgba({ data: crop, width: cw, height: ch }, cw * t.scale, ch * t.scale, 'lanczos3');
  return { img, x, y };
}

/** A soft contact shadow under the subject and a faint occlusion from its silhouette. */
export function drawShadow(dst: RawImage, subj: { img: RawImage; x: number; y: number }, strength = 0.45, tint: [number, number, number] = [0, 0, 0]): void {
  const { img, x, y } = subj;
  // Find the subject's bottom row and its extent there.
  let bottom = -1;
  for (let r = img.height - 1; r >= 0 && bottom < 0; r--) for (let c = 0; c < img.width; c++) if (img.data[(r * img.width + c) * 4 + 3]! > 128) { bottom = r; break; }
  if (bottom < 0) return;
  let minX = img.width, maxX = -1;
  for (let r = Math.max(0, bottom - Math.round(img.height * 0.05)); r <= bottom; r++)
    for (let c = 0; c < img.width; c++) if (img.data[(r * img.width + c) * 4 + 3]! > 128) { minX = Math.min(minX, c); maxX = Math.max(maxX, c); }
  const cx = x + (minX + maxX) / 2, cy = y + bottom;
  const rx = Math.max(4, (maxX - minX) * 0.58), ry = Math.max(2, rx * 0.09);
  const pad = Math.ceil(rx * 0.4);
  const bx0 = Math.max(0, Math.floor(cx - rx - pad)), bx1 = Math.min(dst.width, Math.ceil(cx + rx + pad));
  const by0 = Math.max(0, Math.floor(cy - ry * 3 - pad)), by1 = Math.min(dst.height, Math.ceil(cy + ry * 3 + pad));
  const bw = bx1 - bx0, bh = by1 - by0;
  if (bw <= 0 || bh <= 0) return;
  const plane = new Float32Array(bw * bh);
  for (let yy = 0; yy < bh; yy++)
    for (let xx = 0; xx < bw; xx++) {
      const dx = (bx0 + xx - cx) / rx, dy = (by0 + yy - cy) / ry;
      const d = dx * dx + dy * dy;
      plane[yy * bw + xx] = d < 1 ? 1 - d * 0.6 : 0;
    }
  const soft = boxBlur(plane, bw, bh, Math.max(2, ry * 0.8), 3);
  const d = dst.data;
  for (let yy = 0; yy < bh; yy++)
    for (let xx = 0; xx < bw; xx++) {
      const a = soft[yy * bw + xx]! * strength;
      if (a <= 0.002) continue;
      const o = ((by0 + yy) * dst.width + bx0 + xx) * 4;
      for (let c = 0; c < 3; c++) d[o + c] = d[o + c]! * (1 - a) + tint[c]! * a;
    }
}

/** Tint the subject's colours slightly towards the scene light so it sits in the scene. */
function grade(img: RawImage, light: [number, number, number], brightness: number): void {
  const k = 0.35;
  const m = [1 + (light[0] - 1) * k, 1 + (light[1] - 1) * k, 1 + (light[2] - 1) * k];
  const b = 1 + (brightness - 0.8) * 0.2;
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 0) continue;
    for (let c = 0; c < 3; c++) d[i + c] = Math.min(255, d[i + c]! * m[c]! * b);
  }
}

/** lifestyle_shot_by_text offline: a hex colour or a prompt-built set, subject grounded with a shadow. */
export async function lifestyleShot(prep: PreparedSmartImage, frame: { width: number; height: number; placement: FramePlacement }): Promise<RawImage> {
  const t = placeSubject(prep.box, frame, frame.placement);
  const subj = await subjectInFrame(prep, t);
  const input = prep.input ?? '#ffffff';
  let bg: RawImage;
  if (/^#[0-9a-f]{6}$/i.test(input)) {
    bg = newImage(frame.width, frame.height, [...hexToRgb(input), 255]);
    const rgb = hexToRgb(input);
    drawShadow(bg, subj, 0.42, [rgb[0] * 0.25, rgb[1] * 0.25, rgb[2] * 0.25]);
  } else {
    const spec = parsePrompt(input);
    const groundY = t.y + (prep.box.y + prep.box.height) * t.scale;
    bg = paintScene(spec, frame.width, frame.height, prep.seed, groundY);
    drawShadow(bg, subj, spec.brightness < 0.6 ? 0.6 : 0.5, [spec.floor[0] * 0.15, spec.floor[1] * 0.15, spec.floor[2] * 0.15]);
    grade(subj.img, spec.light, spec.brightness);
  }
  drawOver(bg, subj.img, subj.x, subj.y);
  return bg;
}
