import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import { frameLayout } from '../../src/jobs/smart-frames.js';
import { lifestyleLayers } from '../../src/smart-image/compose.js';
import { extractSubject, subjectBox } from '../../src/smart-image/cutout.js';
import { clipToShape, matchToBackdrop, subjectArea, type FrameLayout } from '../../src/smart-image/layers.js';
import { newImage } from '../../src/smart-image/image.js';
import { resolvePlacement } from '../../src/smart-image/placement.js';
import type { PreparedSmartImage, RawImage } from '../../src/smart-image/types.js';

/** A 200×200 photo: a red disc (the subject, alpha 255) on a grey ground (alpha 0 in the matte). */
function prepared(input: string): PreparedSmartImage {
  const photo = newImage(200, 200, [128, 128, 128, 255]);
  const alpha = new Uint8Array(200 * 200);
  for (let y = 0; y < 200; y++)
    for (let x = 0; x < 200; x++)
      if ((x - 100) ** 2 + (y - 110) ** 2 < 60 ** 2) {
        alpha[y * 200 + x] = 255;
        photo.data.set([200, 30, 30, 255], (y * 200 + x) * 4);
      }
  return {
    key: 'k',
    imageHash: 'h',
    operation: 'lifestyle_shot_by_text',
    input,
    seed: 1,
    photo,
    alpha,
    subject: extractSubject(photo, alpha),
    box: subjectBox(alpha, 200, 200),
    cutoutBy: 'test',
    prepareMs: 0,
    warnings: [],
  };
}

const alphaAt = (img: RawImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3]!;
const rgbAt = (img: RawImage, x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];

describe('a smart-image frame as a designed region', () => {
  it('clips the fill to its shape: circle and rounded corners are transparent outside, antialiased on the edge', () => {
    const circle = clipToShape(newImage(100, 60, [10, 20, 30, 255]), 'circle', 0);
    expect(alphaAt(circle, 0, 0)).toBe(0);
    expect(alphaAt(circle, 50, 30)).toBe(255);
    expect(alphaAt(circle, 99, 30)).toBeLessThan(255);
    const edge = [...Array(100).keys()].map((x) => alphaAt(circle, x, 30)).filter((a) => a > 0 && a < 255);
    expect(edge.length).toBeGreaterThan(0);
    const rounded = clipToShape(newImage(100, 60, [10, 20, 30, 255]), 'rounded', 20);
    expect(alphaAt(rounded, 0, 0)).toBe(0);
    expect(alphaAt(rounded, 50, 0)).toBe(255);
    expect(alphaAt(rounded, 0, 30)).toBe(255);
    const rect = clipToShape(newImage(10, 10, [1, 2, 3, 255]), 'rect', 5);
    expect(alphaAt(rect, 0, 0)).toBe(255);
  });

  it('hex colour: the region is filled with the colour; the subject is its own layer inside the box, with a contact shadow under it', async () => {
    const layout: FrameLayout = {
      box: { x: 40, y: 60, width: 200, height: 200 },
      region: { x: 100, y: 0, width: 300, height: 300 },
      shape: 'rect',
      radius: 0,
      placement: resolvePlacement({ anchor: 'bottom', padding: 0.05 }),
    };
    const { fill, subject } = await lifestyleLayers(prepared('#2a6f97'), layout);
    expect([fill.width, fill.height]).toEqual([300, 300]);
    expect(rgbAt(fill, 5, 5)).toEqual([42, 111, 151]);
    expect(rgbAt(fill, 295, 295)).toEqual([42, 111, 151]);
    expect(subject!.rect).toEqual({ x: 40, y: 0, width: 360, height: 300 });
    const layer = subject!.img;
    // Nothing of the layer lies outside the box but the shadow: the area left of the box's subject is clear.
    expect(alphaAt(layer, 2, 150)).toBe(0);
    expect(alphaAt(layer, 355, 10)).toBe(0);
    // The subject (red) is inside the box, standing on its bottom padding.
    let minX = Infinity, maxX = -1, maxY = -1;
    for (let y = 0; y < layer.height; y++)
      for (let x = 0; x < layer.width; x++) {
        const [r, g] = rgbAt(layer, x, y);
        if (alphaAt(layer, x, y) === 255 && r! > 150 && g! < 80) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          maxY = Math.max(maxY, y);
        }
      }
    expect(minX).toBeGreaterThanOrEqual(0);
    expect(maxX).toBeLessThan(200);
    expect(maxY).toBeGreaterThan(60 + 200 - 0.05 * 200 - 5);
    expect(maxY).toBeLessThan(60 + 200);
    // A soft, dark, partly transparent shadow just under the subject's base.
    const shadow = alphaAt(layer, Math.round((minX + maxX) / 2), maxY + 2);
    expect(shadow).toBeGreaterThan(10);
    expect(shadow).toBeLessThan(255);
  });

  it('a prompt paints a set over the region; the subject is matched to its light', async () => {
    const layout: FrameLayout = { box: { x: 0, y: 0, width: 240, height: 240 }, region: { x: 0, y: 0, width: 240, height: 240 }, shape: 'circle', radius: 0, placement: resolvePlacement({}) };
    const { fill, subject } = await lifestyleLayers(prepared('dark green velvet at night'), layout);
    expect(alphaAt(fill, 0, 0)).toBe(0);
    const [r, g, b] = rgbAt(fill, 120, 40);
    expect(g!).toBeGreaterThan(r!);
    expect(r! + g! + b!).toBeLessThan(300);
    // The red disc is dimmed towards the dark set (it was 200, 30, 30).
    const centre = rgbAt(subject!.img, 120, 130);
    expect(centre[0]!).toBeLessThan(200);
    expect(centre[0]!).toBeGreaterThan(120);
  });

  it('matchToBackdrop moves brightness and colour temperature part of the way, never all of it', () => {
    const img = newImage(4, 4, [120, 120, 120, 255]);
    matchToBackdrop(img, [240, 200, 140]);
    const [r, g, b] = rgbAt(img, 1, 1);
    expect(r!).toBeGreaterThan(g!);
    expect(g!).toBeGreaterThan(b!);
    expect(g!).toBeGreaterThan(120);
    expect(g!).toBeLessThan(160);
  });

  it('a subject cut by the photo border keeps that border on the region edge', () => {
    const layout: FrameLayout = { box: { x: 40, y: 60, width: 200, height: 200 }, region: { x: 0, y: 0, width: 300, height: 320 }, shape: 'rect', radius: 0, placement: resolvePlacement({}) };
    expect(subjectArea(layout, [])).toEqual(layout.box);
    expect(subjectArea(layout, ['bottom'])).toEqual({ x: 40, y: 60, width: 200, height: 260 });
    expect(subjectArea(layout, ['left', 'top'])).toEqual({ x: 0, y: 0, width: 240, height: 260 });
  });
});

describe('frames in the public templates', () => {
  const t1062 = JSON.parse(readFileSync(new URL('../../src/assets/templates/1062.json', import.meta.url), 'utf8')) as TemplateDocument;

  it('every smartImage slot of 1061 and 1062 names its scene photo region, and the subject is placed inside it', () => {
    for (const id of ['1061', '1062']) {
      const doc = parseTemplate(JSON.parse(readFileSync(new URL(`../../src/assets/templates/${id}.json`, import.meta.url), 'utf8')));
      for (const scene of doc.scenes) {
        const el = scene.elements.find((e) => e.layer_type === 'smartImage');
        if (!el || el.layer_type !== 'smartImage') continue;
        const { layout, target } = frameLayout(el, scene, 1);
        expect(target?.content_type, `${id} ${scene.name}`).toBe('Image #1');
        const { box, region } = layout;
        expect(box.x).toBeGreaterThanOrEqual(region.x);
        expect(box.y).toBeGreaterThanOrEqual(region.y);
        expect(box.x + box.width).toBeLessThanOrEqual(region.x + region.width);
        expect(box.y + box.height).toBeLessThanOrEqual(region.y + region.height);
      }
    }
  });

  it('a frame naming a missing or text element is refused, naming the field', () => {
    const doc = structuredClone(t1062);
    const scene = doc.scenes[0]!;
    const el = scene.elements.find((e) => e.layer_type === 'smartImage')!;
    if (el.layer_type !== 'smartImage') throw new Error('no smartImage');
    const text = scene.elements.find((e) => e.layer_type === 'text')!;
    for (const ref of ['nope', text.id, el.id]) {
      el.style.frame = { shape: 'rect', element: ref };
      expect(() => parseTemplate(doc)).toThrow(/scenes\[0\]\.elements\[\d+\]\.style\.frame\.element.*not an image or shape element of the same scene/);
    }
  });
});
