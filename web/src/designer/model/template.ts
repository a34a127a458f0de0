/**
 * Making and changing template documents in the designer: a new template from
 * a size, a private copy of a public one, new elements of each layer type with
 * sensible defaults, and the slots each layer type may carry. Pure data.
 */
import { LAYER_TYPES, TEMPLATE_SCHEMA_VERSION, type Element, type LayerType, type Scene, type TemplateDocument } from '../../../../src/engine/model/template.js';
import { sceneName } from './presets.js';

export { LAYER_TYPES, type LayerType };

/** The slots (content_type) a layer type may carry, as the schema allows them; null is "none". */
export function slotsFor(layer: LayerType): string[] {
  switch (layer) {
    case 'text':
      return [1, 2, 3, 4, 5].map((n) => `Heading #${n}`).concat([1, 2, 3, 4, 5].map((n) => `Body #${n}`));
    case 'image':
      return [1, 2, 3, 4, 5].map((n) => `Image #${n}`);
    case 'smartImage':
      return ['smartImage'];
    case 'logo':
      return [1, 2, 3].map((n) => `Logo #${n}`);
    case 'shape':
      return [1, 2, 3, 4, 5].map((n) => `Basic Shape #${n}`);
  }
}

export const LAYER_LABEL: Record<LayerType, string> = { text: 'Text', image: 'Image', smartImage: 'Product image', logo: 'Logo', shape: 'Shape' };

/** An empty scene of that size on the brand's background. */
export function blankScene(width: number, height: number): Scene {
  return { name: sceneName(width, height), width, height, background: { type: 'color', color: 'brand.background' }, elements: [] };
}

/** A new template (brand-driven: its colours, fonts and logos come from the brand) with one scene. */
export function newTemplate(name: string, width: number, height: number): TemplateDocument {
  return { schema_version: TEMPLATE_SCHEMA_VERSION, id: 'new', name, description: '', requires_brand: true, scenes: [blankScene(width, height)] };
}

/** A public template as the start of a private one: same scenes, a new name; the server gives it its id. */
export function privateCopy(template: TemplateDocument, name = `${template.name} (copy)`): TemplateDocument {
  const { preview: _preview, created_at: _created, $schema: _schema, ...rest } = structuredClone(template);
  return { ...rest, id: 'new', name: name.slice(0, 200) };
}

/** Every element id of the template. */
export function idsOf(template: TemplateDocument): Set<string> {
  return new Set(template.scenes.flatMap((s) => s.elements.map((e) => e.id)));
}

/** `text-1`, `text-2`, …: the first one not taken. */
export function nextId(layer: LayerType, taken: ReadonlySet<string>): string {
  const stem = layer === 'smartImage' ? 'product' : layer;
  for (let n = 1; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

/** The first slot of that layer type no element of the scene uses (a new heading is Heading #1, the next #2). */
export function freeSlot(layer: LayerType, scene: Scene): string | null {
  const used = new Set(scene.elements.map((e) => e.content_type));
  // A scene's first text is its heading, the next ones body copy (then further headings).
  const order = layer === 'text' ? ['Heading #1', ...slotsFor('text').filter((s) => s.startsWith('Body')), ...slotsFor('text').filter((s) => s.startsWith('Heading') && s !== 'Heading #1')] : slotsFor(layer);
  return order.find((s) => !used.has(s)) ?? null;
}

const r = Math.round;

/**
 * A new element of `layer` where that kind usually goes (logo top left, heading above body copy, image below,
 * product on the right, shape at the bottom), sized for the scene, with the brand's roles and a free slot.
 */
export function newElement(layer: LayerType, scene: Scene, id: string): Element {
  const W = scene.width;
  const H = scene.height;
  const content_type = freeSlot(layer, scene);
  const at = (x: number, y: number, w: number, h: number) => ({ x: r(W * x), y: r(H * y), width: Math.max(1, r(W * w)), height: Math.max(1, r(H * h)) });
  switch (layer) {
    case 'text': {
      const heading = content_type?.startsWith('Heading') ?? false;
      const box = heading ? at(0.08, 0.2, 0.84, 0.22) : at(0.08, 0.44, 0.84, 0.14);
      const max = r(Math.max(8, Math.min(box.height / 1.15 / (heading ? 2 : 3), W / 8)));
      return {
        id,
        name: heading ? 'Heading' : 'Body',
        layer_type: 'text',
        content_type,
        content: heading ? 'Your headline here' : 'A line or two of body copy.',
        box,
        style: {
          font_family: heading ? 'brand.heading_font' : 'brand.body_font',
          font_weight: heading ? 700 : 400,
          font_size: { max, min: Math.max(1, r(max * 0.5)) },
          line_height: 1.15,
          align: 'center',
          vertical_align: 'middle',
          max_lines: heading ? 2 : 3,
          color: 'brand.text',
        },
      };
    }
    case 'image':
      return { id, name: 'Image', layer_type: 'image', content_type, content: 'asset:images/lifestyle.jpg', box: at(0.08, 0.6, 0.84, 0.34), style: { fit: 'cover' } };
    case 'smartImage':
      return { id, name: 'Product', layer_type: 'smartImage', content_type, content: 'asset:images/product.png', box: at(0.55, 0.45, 0.4, 0.5), style: { fit: 'contain', placement: { anchor: 'bottom' } } };
    case 'logo': {
      // A 4:1 box at the top left, at most a quarter of the width and an eighth of the height.
      const w = Math.min(W * 0.25, H * 0.125 * 4);
      return { id, name: 'Logo', layer_type: 'logo', content_type, content: '', box: { x: r(W * 0.06), y: r(H * 0.05), width: r(w), height: r(w / 4) }, style: { logo: 'primary', variant: 'auto', align: 'left', vertical_align: 'middle' } };
    }
    case 'shape':
      return { id, name: 'Shape', layer_type: 'shape', content_type, content: '', box: at(0.3, 0.86, 0.4, 0.08), style: { shape: 'rect', fill: 'brand.primary', corner_radius: 0 } };
  }
}
