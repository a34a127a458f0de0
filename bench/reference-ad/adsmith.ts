/**
 * The reference ad as an Adsmith template, rendered by the engine's Node host
 * (Skia via @napi-rs/canvas, PNG via the fast encoder). Assets are decoded
 * once in setup (warm cache), as in a long-running worker.
 */
import { readFileSync } from 'node:fs';
import type { Element, TemplateDocument } from '../../src/engine/model/template.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import { Renderer as AdsmithRenderer } from '../../src/node/render.js';
import type { Renderer } from './peers.js';
import { COLORS, FILES, FONT_FAMILY, LAYOUTS, TEXTS, WEIGHTS, type AdLayout } from './spec.js';

const dataUri = (path: string, mime: string) => `data:${mime};base64,${readFileSync(path).toString('base64')}`;

function sceneFor(l: AdLayout, photo: string, logo: string): TemplateDocument['scenes'][number] {
  const box = (b: { x: number; y: number; w: number; h: number }) => ({ x: b.x, y: b.y, width: b.w, height: b.h });
  const elements: Element[] = [
    { id: `photo-${l.width}`, layer_type: 'image', content_type: 'Image #1', content: photo, box: box(l.photo), style: { fit: 'cover', corner_radius: l.photo.radius } },
    { id: `logo-${l.width}`, layer_type: 'logo', content_type: 'Logo #1', content: logo, box: box(l.logo), style: { align: 'left', vertical_align: 'top' } },
    {
      id: `heading-${l.width}`,
      layer_type: 'text',
      content_type: 'Heading #1',
      content: TEXTS.heading,
      box: box(l.heading),
      style: { font_family: FONT_FAMILY, font_weight: WEIGHTS.heading, font_size: { max: l.heading.maxSize, min: l.heading.minSize }, line_height: l.heading.lineHeight, max_lines: l.heading.maxLines, color: COLORS.heading },
    },
    {
      id: `body-${l.width}`,
      layer_type: 'text',
      content_type: 'Body #1',
      content: TEXTS.body.join('\n'),
      box: box(l.body),
      style: { font_family: FONT_FAMILY, font_weight: WEIGHTS.body, font_size: { max: l.body.size, min: l.body.size }, line_height: l.body.lineHeight, color: COLORS.body },
    },
    { id: `button-${l.width}`, layer_type: 'shape', content_type: 'Basic Shape #1', content: '', box: box(l.button), style: { shape: 'rect', fill: COLORS.button, corner_radius: l.button.radius } },
    {
      id: `label-${l.width}`,
      layer_type: 'text',
      content_type: 'Body #2',
      content: TEXTS.button,
      box: box(l.button),
      style: { font_family: FONT_FAMILY, font_weight: WEIGHTS.button, font_size: { max: l.button.labelSize, min: l.button.labelSize }, align: 'center', vertical_align: 'middle', max_lines: 1, color: COLORS.buttonLabel },
    },
  ];
  return { name: `Reference ${l.width}×${l.height}`, width: l.width, height: l.height, background: { type: 'color', color: COLORS.background }, elements };
}

let engine: AdsmithRenderer;
let template: TemplateDocument;

export const adsmithRenderer: Renderer = {
  name: 'adsmith',
  async setup() {
    engine = new AdsmithRenderer();
    const photo = dataUri(FILES.photo, 'image/jpeg');
    const logo = dataUri(FILES.logo, 'image/png');
    template = parseTemplate({ schema_version: 1, id: 'reference-ad', name: 'Reference ad', description: '', requires_brand: false, scenes: LAYOUTS.map((l) => sceneFor(l, photo, logo)) });
    await engine.render({ template, brand: null }); // warm: fonts registered, images decoded
  },
  async render(size) {
    const index = template.scenes.findIndex((s) => s.width === size.width && s.height === size.height);
    return (await engine.renderScene({ template, brand: null }, index)).bytes;
  },
  async teardown() {},
};
