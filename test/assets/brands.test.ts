import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { PUBLIC_BRAND_IDS, publicBrandPath } from '../../src/assets/brands/index.js';
import type { BrandDocument } from '../../src/engine/model/brand.js';
import { parseBrand } from '../../src/engine/model/validate.js';

const ASSETS = fileURLToPath(new URL('../../src/assets/', import.meta.url));
const BUNDLED_FAMILIES: Record<string, number[]> = {
  Inter: [100, 200, 300, 400, 500, 600, 700, 800, 900],
  'Playfair Display': [400, 500, 600, 700, 800, 900],
  'Bebas Neue': [400],
  Montserrat: [100, 200, 300, 400, 500, 600, 700, 800, 900],
  Lato: [100, 300, 400, 700, 900],
  'Space Grotesk': [300, 400, 500, 600, 700],
  'DM Sans': [100, 200, 300, 400, 500, 600, 700, 800, 900],
  Poppins: [100, 200, 300, 400, 500, 600, 700, 800, 900],
  'Noto Sans': [100, 200, 300, 400, 500, 600, 700, 800, 900],
  Oswald: [200, 300, 400, 500, 600, 700],
};

/** WCAG 2 relative luminance of a #RRGGBB colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrastOfLuminances(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
const contrast = (a: string, b: string): number => contrastOfLuminances(luminance(a), luminance(b));

/** Mean relative luminance of a rendered SVG's opaque pixels (colours of the ink, weighted by area). */
function inkLuminance(svg: string): number {
  const img = new Resvg(svg, { fitTo: { mode: 'width', value: 256 } }).render();
  const px = img.pixels;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3]! < 200) continue;
    const hex = '#' + [px[i]!, px[i + 1]!, px[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('');
    sum += luminance(hex);
    count++;
  }
  expect(count, 'the logo draws something').toBeGreaterThan(500);
  return sum / count;
}

function assetPath(src: string): string {
  expect(src).toMatch(/^asset:brands\/\d+\/[a-z0-9-]+\.svg$/);
  return ASSETS + src.slice('asset:'.length);
}

function load(id: string): BrandDocument {
  return parseBrand(JSON.parse(readFileSync(publicBrandPath(id as (typeof PUBLIC_BRAND_IDS)[number]), 'utf8')));
}

const brands = PUBLIC_BRAND_IDS.map((id) => [id, load(id)] as const);

describe('public brands', () => {
  it('are the five shipped ids', () => {
    expect([...PUBLIC_BRAND_IDS]).toEqual(['167', '166', '122', '121', '120']);
  });

  describe.each(brands)('brand %s', (id, brand) => {
    it('is a valid brand document with its own id', () => {
      expect(brand.schema_version).toBe(1);
      expect(brand.id).toBe(id);
      expect(brand.name.length).toBeGreaterThan(2);
      expect(brand.description.length).toBeGreaterThan(40);
      for (const c of Object.values(brand.colors)) expect(c).toMatch(/^#[0-9A-F]{6}$/);
    });

    it('uses bundled font families at weights that exist', () => {
      for (const role of ['heading', 'body'] as const) {
        const f = brand.fonts[role];
        expect(Object.keys(BUNDLED_FAMILIES)).toContain(f.family);
        expect(BUNDLED_FAMILIES[f.family]).toContain(f.weight);
      }
      expect(brand.fonts.heading.family).not.toBe(brand.fonts.body.family);
    });

    it('sets text on its background at WCAG AA (≥ 4.5:1)', () => {
      expect(contrast(brand.colors.text, brand.colors.background)).toBeGreaterThanOrEqual(4.5);
    });

    it('has legible buttons: accent and primary fills each take a background-coloured or white label at ≥ 4.5:1', () => {
      for (const fill of [brand.colors.accent, brand.colors.primary]) {
        const best = Math.max(contrast(fill, brand.colors.background), contrast(fill, '#FFFFFF'));
        expect(best, `label on ${fill}`).toBeGreaterThanOrEqual(4.5);
      }
    });

    it('gives every colour role its own value', () => {
      expect(new Set(Object.values(brand.colors)).size).toBe(5);
    });

    const logos = [
      ['primary', 'on_light', brand.logos.primary.on_light],
      ['primary', 'on_dark', brand.logos.primary.on_dark],
      ['icon', 'on_light', brand.logos.icon.on_light],
      ['icon', 'on_dark', brand.logos.icon.on_dark],
    ] as const;

    it.each(logos)('%s %s logo is a self-contained, font-free SVG', (kind, _variant, src) => {
      const file = assetPath(src);
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).size).toBeLessThan(30_000);
      const svg = readFileSync(file, 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/<text|<tspan|<image|<style|<script|<foreignObject|font-family|@import|href=|url\(/i);
      const vb = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
      expect(vb, 'viewBox').not.toBeNull();
      const ratio = Number(vb![1]) / Number(vb![2]);
      if (kind === 'primary') {
        expect(ratio).toBeGreaterThanOrEqual(3.9);
        expect(ratio).toBeLessThanOrEqual(5.1);
      } else {
        expect(ratio).toBeCloseTo(1, 5);
      }
      // It renders, to a transparent ground.
      const img = new Resvg(svg, { fitTo: { mode: 'width', value: 64 } }).render();
      expect(img.pixels[3]).toBe(0);
    });

    it.each(logos)('%s %s logo has the right ink for its ground', (_kind, variant, src) => {
      const ink = inkLuminance(readFileSync(assetPath(src), 'utf8'));
      // on_light art must hold ≥ 4.5:1 (by mean ink) against a light ground, on_dark art against a dark one.
      if (variant === 'on_light') expect(contrastOfLuminances(ink, luminance('#F2F2F2'))).toBeGreaterThanOrEqual(4.5);
      else expect(contrastOfLuminances(ink, luminance('#1A1A1A'))).toBeGreaterThanOrEqual(4.5);
    });
  });

  it('are five distinct identities: names, palettes and font pairings', () => {
    const docs = brands.map(([, b]) => b);
    expect(new Set(docs.map((b) => b.name)).size).toBe(5);
    expect(new Set(docs.map((b) => `${b.fonts.heading.family}/${b.fonts.body.family}`)).size).toBe(5);
    expect(new Set(docs.map((b) => b.fonts.heading.family)).size).toBe(5);
    // Primary colours far apart in RGB (not five blues).
    const rgb = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    for (let i = 0; i < docs.length; i++) {
      for (let j = i + 1; j < docs.length; j++) {
        const [a, b] = [rgb(docs[i]!.colors.primary), rgb(docs[j]!.colors.primary)];
        const dist = Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
        expect(dist, `${docs[i]!.name} vs ${docs[j]!.name}`).toBeGreaterThan(60);
      }
    }
  });

  it('resolves brand.json paths next to the index', () => {
    for (const id of PUBLIC_BRAND_IDS) expect(existsSync(publicBrandPath(id))).toBe(true);
  });
});
