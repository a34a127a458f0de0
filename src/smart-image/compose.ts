import { boxBlur, drawOver, hexToRgb, newImage, resizeRgba } from './image.js';
import { clipToShape, matchToBackdrop, meanColour, subjectArea, unionRect, type FrameLayers, type FrameLayout } from './layers.js';
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
      const da = d[o + 3]! / 255;
      if (da >= 1) {
        for (let c = 0; c < 3; c++) d[o + c] = d[o + c]! * (1 - a) + tint[c]! * a;
        continue;
      }
      // A transparent layer (the subject layer of a designed frame): the shadow itself, composited later.
      const out = a + da * (1 - a);
      for (let c = 0; c < 3; c++) d[o + c] = (tint[c]! * a + d[o + c]! * da * (1 - a)) / out;
      d[o + 3] = Math.round(out * 255);
    }
}

/**
 * The mean colour of the photo's own background (where the cut-out left it), sampled sparsely: a prompt that
 * names no colour takes its wall from it, so each photo gets a set in its own light rather than one grey wall.
 */
function ambientOf(prep: PreparedSmartImage): [number, number, number] | null {
  const { photo, alpha } = prep;
  const step = Math.max(1, Math.floor(Math.sqrt((photo.width * photo.height) / 40_000)));
  let r = 0, g = 0, b = 0, n = 0;
  for (let y = 0; y < photo.height; y += step)
    for (let x = 0; x < photo.width; x += step) {
      const i = y * photo.width + x;
      if (alpha[i]! > 24) continue;
      r += photo.data[i * 4]!;
      g += photo.data[i * 4 + 1]!;
      b += photo.data[i * 4 + 2]!;
      n++;
    }
  return n > 16 ? [r / n, g / n, b / n] : null;
}

/**
 * lifestyle_shot_by_text offline, as layers: the fill (the hex colour, or a set built from the prompt) covers
 * the frame's region and shape; the subject, placed in the element's box, stands on it with a soft contact
 * shadow and, on a set, is matched to the set's light.
 */
export async function lifestyleLayers(prep: PreparedSmartImage, layout: FrameLayout): Promise<FrameLayers> {
  const box = subjectArea(layout, prep.box.cut);
  const canvas = unionRect(box, layout.region);
  const t = placeSubject(prep.box, box, layout.placement);
  const subj = await subjectInFrame(prep, { scale: t.scale, x: t.x + box.x - canvas.x, y: t.y + box.y - canvas.y });
  const layer = newImage(canvas.width, canvas.height);
  const input = prep.input ?? '#ffffff';
  let fill: RawImage;
  if (/^#[0-9a-f]{6}$/i.test(input)) {
    const rgb = hexToRgb(input);
    fill = newImage(layout.region.width, layout.region.height, [...rgb, 255]);
    drawShadow(layer, subj, 0.42, [rgb[0] * 0.25, rgb[1] * 0.25, rgb[2] * 0.25]);
  } else {
    const spec = parsePrompt(input, ambientOf(prep));
    // Where the subject stands, in the region's pixels.
    const groundY = box.y + t.y + (prep.box.y + prep.box.height) * t.scale - layout.region.y;
    fill = paintScene(spec, layout.region.width, layout.region.height, prep.seed, groundY);
    drawShadow(layer, subj, spec.brightness < 0.6 ? 0.6 : 0.5, [spec.floor[0] * 0.15, spec.floor[1] * 0.15, spec.floor[2] * 0.15]);
    // The set's light around the subject, not the whole frame's average.
    const around = meanColour(fill, { x: subj.x + canvas.x - layout.region.x, y: subj.y + canvas.y - layout.region.y, width: subj.img.width, height: subj.img.height });
    if (around) matchToBackdrop(subj.img, around);
  }
  drawOver(layer, subj.img, subj.x, subj.y);
  return { fill: clipToShape(fill, layout.shape, layout.radius), subject: { img: layer, rect: canvas } };
}

/** lifestyle_shot_by_text offline as one opaque picture of the frame's size (the frame is its own region, a rectangle). */
export async function lifestyleShot(prep: PreparedSmartImage, frame: { width: number; height: number; placement: FramePlacement }): Promise<RawImage> {
  const whole = { x: 0, y: 0, width: frame.width, height: frame.height };
  const { fill, subject } = await lifestyleLayers(prep, { box: whole, region: whole, shape: 'rect', radius: 0, placement: frame.placement });
  if (subject) drawOver(fill, subject.img, subject.rect.x, subject.rect.y);
  return fill;
}
