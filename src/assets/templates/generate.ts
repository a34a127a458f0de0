/**
 * Writes the public templates 1061 (brand-independent) and 1062 (branded) from
 * one set of per-format layouts, so both stay consistent and reviewable:
 * `npx tsx src/assets/templates/generate.ts`. The JSON files are committed; the
 * server and CLI read those, never this script.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Element, Scene, TemplateDocument } from '../../engine/model/template.js';

type Box = { x: number; y: number; width: number; height: number };
type Align = 'left' | 'center' | 'right';

/** One ad format: where each part goes, and type sizes that suit that shape. */
interface Layout {
  name: string;
  width: number;
  height: number;
  photo: Box;
  photoRadius: number;
  product: Box;
  productAnchor: 'bottom' | 'center';
  deco: Box & { shape: 'ellipse' | 'rect'; radius?: number };
  logo: Box & { align: Align };
  heading: Box & { max: number; min: number; lines: number };
  body: Box & { max: number; min: number; lines: number };
  cta: Box & { max: number; min: number };
  align: Align;
  valign?: 'top' | 'middle' | 'bottom';
  /** Where parts move when the template has no logo, for formats whose logo zone would otherwise stay empty. */
  withoutLogo?: Partial<Pick<Layout, 'photo' | 'product' | 'deco' | 'heading' | 'body'>>;
}

const LAYOUTS: Layout[] = [
  {
    name: 'Instagram post',
    width: 1080,
    height: 1080,
    photo: { x: 580, y: 0, width: 500, height: 1080 },
    photoRadius: 0,
    product: { x: 470, y: 430, width: 560, height: 600 },
    productAnchor: 'bottom',
    deco: { x: 520, y: 520, width: 480, height: 480, shape: 'ellipse' },
    logo: { x: 72, y: 72, width: 240, height: 60, align: 'left' },
    heading: { x: 72, y: 190, width: 470, height: 330, max: 92, min: 44, lines: 4 },
    body: { x: 72, y: 540, width: 380, height: 170, max: 32, min: 20, lines: 4 },
    cta: { x: 72, y: 904, width: 320, height: 104, max: 34, min: 18 },
    align: 'left',
  },
  {
    name: 'Instagram portrait',
    width: 1080,
    height: 1350,
    photo: { x: 0, y: 0, width: 1080, height: 740 },
    photoRadius: 0,
    product: { x: 580, y: 420, width: 440, height: 560 },
    productAnchor: 'bottom',
    deco: { x: 600, y: 560, width: 400, height: 400, shape: 'ellipse' },
    logo: { x: 64, y: 64, width: 240, height: 60, align: 'left' },
    heading: { x: 64, y: 800, width: 500, height: 270, max: 88, min: 40, lines: 4 },
    body: { x: 64, y: 1080, width: 560, height: 100, max: 30, min: 20, lines: 3 },
    cta: { x: 64, y: 1200, width: 320, height: 96, max: 32, min: 18 },
    align: 'left',
  },
  {
    name: 'Story',
    width: 1080,
    height: 1920,
    photo: { x: 0, y: 0, width: 1080, height: 1080 },
    photoRadius: 0,
    product: { x: 190, y: 600, width: 700, height: 760 },
    productAnchor: 'bottom',
    deco: { x: 240, y: 700, width: 600, height: 600, shape: 'ellipse' },
    logo: { x: 370, y: 150, width: 340, height: 80, align: 'center' },
    heading: { x: 96, y: 1390, width: 888, height: 190, max: 104, min: 48, lines: 2 },
    body: { x: 120, y: 1585, width: 840, height: 90, max: 36, min: 22, lines: 2 },
    cta: { x: 320, y: 1690, width: 440, height: 110, max: 38, min: 20 },
    align: 'center',
  },
  {
    name: 'Link ad',
    width: 1200,
    height: 628,
    photo: { x: 660, y: 0, width: 540, height: 628 },
    photoRadius: 0,
    product: { x: 600, y: 110, width: 440, height: 490 },
    productAnchor: 'bottom',
    deco: { x: 640, y: 150, width: 380, height: 380, shape: 'ellipse' },
    logo: { x: 56, y: 48, width: 200, height: 50, align: 'left' },
    heading: { x: 56, y: 130, width: 520, height: 220, max: 68, min: 30, lines: 3 },
    body: { x: 56, y: 360, width: 460, height: 96, max: 26, min: 17, lines: 3 },
    cta: { x: 56, y: 492, width: 260, height: 80, max: 28, min: 16 },
    align: 'left',
  },
  {
    name: 'Full HD landscape',
    width: 1920,
    height: 1080,
    photo: { x: 1040, y: 0, width: 880, height: 1080 },
    photoRadius: 0,
    product: { x: 900, y: 180, width: 760, height: 860 },
    productAnchor: 'bottom',
    deco: { x: 960, y: 260, width: 640, height: 640, shape: 'ellipse' },
    logo: { x: 110, y: 96, width: 300, height: 74, align: 'left' },
    heading: { x: 110, y: 270, width: 780, height: 340, max: 120, min: 56, lines: 3 },
    body: { x: 110, y: 630, width: 640, height: 150, max: 40, min: 24, lines: 3 },
    cta: { x: 110, y: 850, width: 400, height: 116, max: 40, min: 22 },
    align: 'left',
  },
  {
    name: 'Medium rectangle',
    width: 300,
    height: 250,
    photo: { x: 176, y: 0, width: 124, height: 250 },
    photoRadius: 0,
    product: { x: 150, y: 70, width: 150, height: 172 },
    productAnchor: 'bottom',
    deco: { x: 165, y: 95, width: 120, height: 120, shape: 'ellipse' },
    logo: { x: 14, y: 14, width: 96, height: 26, align: 'left' },
    heading: { x: 14, y: 52, width: 150, height: 88, max: 26, min: 13, lines: 3 },
    body: { x: 14, y: 144, width: 140, height: 48, max: 13, min: 10, lines: 3 },
    cta: { x: 14, y: 204, width: 112, height: 34, max: 14, min: 10 },
    align: 'left',
  },
  {
    name: 'Leaderboard',
    width: 728,
    height: 90,
    photo: { x: 140, y: 0, width: 130, height: 90 },
    photoRadius: 0,
    product: { x: 148, y: 4, width: 114, height: 84 },
    productAnchor: 'bottom',
    deco: { x: 170, y: 10, width: 70, height: 70, shape: 'ellipse' },
    logo: { x: 16, y: 27, width: 110, height: 36, align: 'left' },
    heading: { x: 286, y: 10, width: 280, height: 36, max: 24, min: 13, lines: 1 },
    body: { x: 286, y: 48, width: 280, height: 34, max: 13, min: 9, lines: 2 },
    cta: { x: 580, y: 24, width: 132, height: 42, max: 16, min: 10 },
    align: 'left',
    // A strip this short has no room to spare: without a logo the photo takes the left edge and the copy widens.
    withoutLogo: {
      photo: { x: 0, y: 0, width: 150, height: 90 },
      product: { x: 18, y: 4, width: 114, height: 84 },
      deco: { x: 40, y: 10, width: 70, height: 70, shape: 'ellipse' },
      heading: { x: 170, y: 10, width: 390, height: 36, max: 24, min: 13, lines: 1 },
      body: { x: 170, y: 48, width: 390, height: 34, max: 13, min: 9, lines: 2 },
    },
  },
  {
    name: 'Wide skyscraper',
    width: 160,
    height: 600,
    photo: { x: 0, y: 330, width: 160, height: 190 },
    photoRadius: 0,
    product: { x: 10, y: 300, width: 140, height: 214 },
    productAnchor: 'bottom',
    deco: { x: 25, y: 360, width: 110, height: 110, shape: 'ellipse' },
    logo: { x: 20, y: 22, width: 120, height: 34, align: 'center' },
    heading: { x: 14, y: 76, width: 132, height: 150, max: 28, min: 14, lines: 5 },
    body: { x: 14, y: 232, width: 132, height: 80, max: 14, min: 10, lines: 5 },
    cta: { x: 16, y: 536, width: 128, height: 44, max: 16, min: 10 },
    align: 'center',
  },
];

/** How a template dresses the shared layouts: colours and fonts, fixed (1061) or brand roles (1062). */
interface Dress {
  background: Scene['background'];
  heading: { family: string; weight?: number; color: string; transform: 'none' | 'uppercase'; lineHeight: number; letterSpacing: number };
  body: { family: string; weight?: number; color: string };
  ctaFill: string;
  ctaLabel: string;
  ctaFont: string;
  deco: string;
  photoOverlay?: string;
  logo: boolean;
}

const INDEPENDENT: Dress = {
  background: { type: 'linear_gradient', angle: 160, stops: [{ offset: 0, color: '#FFF8F0' }, { offset: 1, color: '#F6E7D8' }] },
  heading: { family: 'Montserrat', weight: 800, color: '#1E1B2E', transform: 'none', lineHeight: 1.04, letterSpacing: -0.02 },
  body: { family: 'Inter', weight: 400, color: '#4A4558' },
  ctaFill: '#E4572E',
  ctaLabel: '#FFFFFF',
  ctaFont: 'Inter',
  deco: '#F3C9A8',
  logo: false,
};

const BRANDED: Dress = {
  background: { type: 'color', color: 'brand.background' },
  heading: { family: 'brand.heading_font', color: 'brand.text', transform: 'none', lineHeight: 1.06, letterSpacing: -0.01 },
  body: { family: 'brand.body_font', color: 'brand.text/0.82' },
  ctaFill: 'brand.primary',
  ctaLabel: 'brand.background',
  ctaFont: 'brand.body_font',
  deco: 'brand.secondary',
  logo: true,
};

/**
 * A layout's copy alignment as a text box says it: the copy is designed to hang from the side where lines
 * begin, so `left` is `start` (and `right` `end`). Left-to-right text draws exactly as before; Arabic or
 * Hebrew copy starts on the right of its box instead of ending ragged there.
 */
function textAlign(a: Align): 'start' | 'center' | 'end' {
  return a === 'left' ? 'start' : a === 'right' ? 'end' : 'center';
}

function elementsFor(l: Layout, d: Dress, prefix: string): Element[] {
  const id = (part: string) => `${prefix}-${part}`;
  const els: Element[] = [
    {
      id: id('photo'),
      name: 'Photo',
      layer_type: 'image',
      content_type: 'Image #1',
      content: 'asset:images/lifestyle.jpg',
      box: pick(l.photo),
      style: { fit: 'cover', focal: { x: 0.5, y: 0.5 }, corner_radius: l.photoRadius },
    },
    {
      id: id('accent'),
      name: 'Accent shape',
      layer_type: 'shape',
      content_type: 'Basic Shape #2',
      content: '',
      box: { ...pick(l.deco), opacity: 0.9 },
      style: { shape: l.deco.shape, fill: d.deco },
    },
    {
      id: id('product'),
      name: 'Product',
      layer_type: 'smartImage',
      content_type: 'smartImage',
      content: 'asset:images/product.png',
      box: pick(l.product),
      style: {
        fit: 'contain',
        focal: { x: 0.5, y: l.productAnchor === 'bottom' ? 1 : 0.5 },
        placement: { anchor: l.productAnchor, padding: 0.04, scale: 1, allow_crop: false },
        // With a smart image the photo region is the frame: its colour or set replaces the photo, under the accent shape.
        frame: { shape: l.photoRadius > 0 ? 'rounded' : 'rect', element: id('photo') },
      },
    },
    {
      id: id('heading'),
      name: 'Headline',
      layer_type: 'text',
      content_type: 'Heading #1',
      content: 'Glow that lasts all summer',
      box: pick(l.heading),
      style: {
        font_family: d.heading.family,
        ...(d.heading.weight ? { font_weight: d.heading.weight } : {}),
        font_size: { max: l.heading.max, min: l.heading.min },
        line_height: d.heading.lineHeight,
        letter_spacing: d.heading.letterSpacing,
        text_transform: d.heading.transform,
        max_lines: l.heading.lines,
        align: textAlign(l.align),
        vertical_align: 'bottom',
        color: d.heading.color,
      },
    },
    {
      id: id('body'),
      name: 'Body copy',
      layer_type: 'text',
      content_type: 'Body #1',
      content: 'Lightweight daily serum with vitamin C. Free shipping this week.',
      box: pick(l.body),
      style: {
        font_family: d.body.family,
        ...(d.body.weight ? { font_weight: d.body.weight } : {}),
        font_size: { max: l.body.max, min: l.body.min },
        line_height: 1.35,
        max_lines: l.body.lines,
        align: textAlign(l.align),
        vertical_align: 'top',
        color: d.body.color,
      },
    },
    {
      id: id('cta-button'),
      name: 'Button',
      layer_type: 'shape',
      content_type: 'Basic Shape #1',
      content: '',
      box: pick(l.cta),
      style: { shape: 'rect', fill: d.ctaFill, corner_radius: l.cta.height / 2 },
    },
    {
      id: id('cta-label'),
      name: 'Button label',
      layer_type: 'text',
      content_type: 'Body #2',
      content: 'Shop now',
      box: { x: l.cta.x + l.cta.height * 0.35, y: l.cta.y + l.cta.height * 0.15, width: l.cta.width - l.cta.height * 0.7, height: l.cta.height * 0.7 },
      style: {
        font_family: d.ctaFont,
        font_weight: 700,
        font_size: { max: l.cta.max, min: l.cta.min },
        line_height: 1.1,
        letter_spacing: 0.02,
        max_lines: 1,
        align: 'center',
        vertical_align: 'middle',
        color: d.ctaLabel,
      },
    },
  ];
  if (d.logo) {
    els.push({
      id: id('logo'),
      name: 'Logo',
      layer_type: 'logo',
      content_type: 'Logo #1',
      content: '',
      box: pick(l.logo),
      style: { logo: 'primary', variant: 'auto', align: l.logo.align, vertical_align: 'middle' },
    });
  }
  return els;
}

function pick(b: Box): Box {
  return { x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height) };
}
function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function template(id: string, name: string, description: string, dress: Dress): TemplateDocument {
  return {
    $schema: '../../../schema/template.schema.json',
    schema_version: 1,
    id,
    name,
    description,
    requires_brand: dress.logo,
    created_at: '2026-11-22T00:00:00Z',
    scenes: LAYOUTS.map((layout, i) => {
      const l = dress.logo ? layout : { ...layout, ...layout.withoutLogo };
      return {
        name: `${l.name} ${l.width}×${l.height}`,
        width: l.width,
        height: l.height,
        background: dress.background,
        elements: elementsFor(l, dress, `s${i + 1}`),
      };
    }),
  };
}

const out = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const docs = [
  template(
    '1061',
    'Warm studio',
    'A brand-independent product template: warm cream ground, coral call to action, Montserrat headline over Inter copy. Slots: Heading #1 (headline), Body #1 (copy), Body #2 (button label), Image #1 (photo), smartImage (product), Basic Shape #1 (button), Basic Shape #2 (accent).',
    INDEPENDENT,
  ),
  template(
    '1062',
    'Brand spotlight',
    'A branded product template: colours, fonts and logo come from the brand. Slots: Heading #1, Body #1, Body #2 (button label), Image #1 (photo), smartImage (product), Logo #1, Basic Shape #1 (button), Basic Shape #2 (accent).',
    BRANDED,
  ),
];
for (const doc of docs) writeFileSync(out(`./${doc.id}.json`), JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${docs.map((d) => d.id).join(', ')}`);
