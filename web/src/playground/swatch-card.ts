import type { TemplateDocument } from '../../../src/engine/model/template.js';

/** The swatch card's size in scene pixels (drawn at a lower scale for the thumbnail). */
export const SWATCH_CARD = { width: 560, height: 320 } as const;

const ROLES = ['primary', 'secondary', 'accent', 'text'] as const;

/**
 * A one-scene template that shows a brand: its logo, its name in the heading
 * font, a line in the body font naming both fonts, and its colours as pills.
 * The engine draws it with the brand like any template, so the card shows the
 * brand exactly as the ads will (same fonts, same logo variant choice).
 */
export function swatchCardTemplate(brandName: string, fontLine: string): TemplateDocument {
  const { width, height } = SWATCH_CARD;
  const pad = 36;
  const pill = { w: 96, h: 44, gap: 14 };
  return {
    schema_version: 1,
    id: 'playground-swatch-card',
    name: 'Brand swatch card',
    description: 'Drawn by the playground to show a brand.',
    requires_brand: true,
    scenes: [
      {
        name: 'Swatch card',
        width,
        height,
        background: { type: 'color', color: 'brand.background' },
        elements: [
          {
            id: 'logo',
            layer_type: 'logo',
            content_type: 'Logo #1',
            content: '',
            box: { x: pad, y: pad - 4, width: 220, height: 52 },
            style: { logo: 'primary', variant: 'auto', align: 'left', vertical_align: 'middle' },
          },
          {
            id: 'name',
            layer_type: 'text',
            content_type: 'Heading #1',
            content: brandName,
            box: { x: pad, y: 104, width: width - pad * 2, height: 76 },
            style: { font_family: 'brand.heading_font', font_size: { max: 60, min: 28 }, line_height: 1.1, max_lines: 1, color: 'brand.text', vertical_align: 'middle' },
          },
          {
            id: 'fonts',
            layer_type: 'text',
            content_type: 'Body #1',
            content: fontLine,
            box: { x: pad, y: 184, width: width - pad * 2, height: 34 },
            style: { font_family: 'brand.body_font', font_size: { max: 22, min: 14 }, line_height: 1.3, max_lines: 1, color: 'brand.text/0.72' },
          },
          ...ROLES.map((role, i) => ({
            id: `swatch-${role}`,
            layer_type: 'shape' as const,
            content_type: `Basic Shape #${i + 1}`,
            content: '',
            box: { x: pad + i * (pill.w + pill.gap), y: height - pad - pill.h, width: pill.w, height: pill.h },
            // A thin outline in the text colour keeps a swatch close to the background visible.
            style: { shape: 'rect' as const, fill: `brand.${role}`, corner_radius: pill.h / 2, stroke: { color: 'brand.text/0.14', width: 2 } },
          })),
        ],
      },
    ],
  } as TemplateDocument;
}
