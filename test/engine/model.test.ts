import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { toContractTemplate, templateSlots } from '../../src/engine/model/contract.js';
import { parseBrand, parseTemplate } from '../../src/engine/model/validate.js';
import { AdsmithError } from '../../src/errors/catalogue.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/documents/${name}`, import.meta.url), 'utf8'));
const clone = <T>(v: T): T => structuredClone(v);

function errorOf(fn: () => unknown): AdsmithError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AdsmithError) return err;
    throw err;
  }
  throw new Error('expected an AdsmithError');
}

describe('template documents', () => {
  const base = publicTemplate('1061')!;

  it('names the JSON path and the rule broken', () => {
    const doc = clone(base) as unknown as { scenes: { elements: { style: Record<string, unknown> }[] }[] };
    doc.scenes[0]!.elements[3]!.style['color'] = 'blue';
    const err = errorOf(() => parseTemplate(doc));
    expect(err.code).toBe('ADS_TEMPLATE_INVALID');
    expect(err.status).toBe(400);
    expect(err.message).toContain('$.scenes[0].elements[3].style.color');
  });

  it('reports unknown properties and missing ones by path', () => {
    const extra = clone(base) as unknown as Record<string, unknown>;
    extra['colour'] = 'x';
    expect(errorOf(() => parseTemplate(extra)).message).toContain('$.colour: is not a known property');
    const missing = clone(base) as unknown as { scenes: Record<string, unknown>[] };
    delete missing.scenes[1]!['width'];
    expect(errorOf(() => parseTemplate(missing)).message).toContain('$.scenes[1].width: is required');
  });

  it('rejects an unknown layer_type with the discriminator rule', () => {
    const doc = clone(base) as unknown as { scenes: { elements: Record<string, unknown>[] }[] };
    doc.scenes[0]!.elements[0]!['layer_type'] = 'video';
    expect(errorOf(() => parseTemplate(doc)).message).toContain('$.scenes[0].elements[0]');
  });

  it('checks rules the schema cannot: size range, slot/layer agreement, unique ids, brand roles', () => {
    const sizes = clone(base);
    const heading = sizes.scenes[0]!.elements.find((e) => e.layer_type === 'text')!;
    if (heading.layer_type === 'text') heading.style.font_size = { max: 10, min: 20 };
    expect(errorOf(() => parseTemplate(sizes)).message).toMatch(/font_size\.min: must not exceed font_size\.max/);

    const slot = clone(base);
    slot.scenes[0]!.elements.find((e) => e.layer_type === 'image')!.content_type = 'Heading #1';
    expect(errorOf(() => parseTemplate(slot)).message).toContain('cannot fill a image element');

    const dup = clone(base);
    dup.scenes[1]!.elements[0]!.id = dup.scenes[0]!.elements[0]!.id;
    expect(errorOf(() => parseTemplate(dup)).message).toContain('must be unique across the template');

    const roles = clone(base);
    roles.scenes[0]!.background = { type: 'color', color: 'brand.primary' };
    expect(errorOf(() => parseTemplate(roles)).message).toContain('uses the brand role "brand.primary"');
  });

  it('migrates a version-0 draft document to the current version', () => {
    const doc = parseTemplate(fixture('template-v0.json'));
    expect(doc.schema_version).toBe(1);
    expect(doc.requires_brand).toBe(true);
    expect(doc.scenes[0]!.width).toBe(1080);
    const text = doc.scenes[0]!.elements[0]!;
    expect(text.layer_type === 'text' && text.style.font_size).toEqual({ max: 80, min: 32 });
  });

  it('refuses a document from the future with the versions it knows', () => {
    const doc = { ...clone(base), schema_version: 7 };
    const err = errorOf(() => parseTemplate(doc));
    expect(err.code).toBe('ADS_DOCUMENT_VERSION_UNSUPPORTED');
    expect(err.message).toContain('Supported: 0, 1');
  });

  it('derives the contract shape (scene_N arrays and scene_resolutions)', () => {
    const contract = toContractTemplate(publicTemplate('1062')!);
    expect(Object.keys(contract).filter((k) => k.startsWith('scene_') && k !== 'scene_resolutions')).toHaveLength(8);
    expect(contract.scene_resolutions['scene_7']).toEqual({ width: 728, height: 90 });
    const first = (contract['scene_1'] as { scene_number: number; layer_type: string }[])[0]!;
    expect(first.scene_number).toBe(1);
    expect(templateSlots(publicTemplate('1062')!)).toEqual(['Basic Shape #1', 'Basic Shape #2', 'Body #1', 'Body #2', 'Heading #1', 'Image #1', 'Logo #1', 'smartImage']);
  });

  it('public templates have every required part in every scene, laid out inside the scene', () => {
    for (const id of ['1061', '1062']) {
      const t = publicTemplate(id)!;
      const sizes = t.scenes.map((s) => `${s.width}x${s.height}`);
      expect(sizes).toEqual(['1080x1080', '1080x1350', '1080x1920', '1200x628', '1920x1080', '300x250', '728x90', '160x600']);
      for (const scene of t.scenes) {
        const slots = new Set(scene.elements.map((e) => e.content_type));
        for (const slot of ['Heading #1', 'Body #1', 'Body #2', 'Basic Shape #1', 'Image #1', 'smartImage', ...(id === '1062' ? ['Logo #1'] : [])]) {
          expect(slots.has(slot), `${id} ${scene.name} has ${slot}`).toBe(true);
        }
        for (const e of scene.elements) {
          expect(e.box.x >= 0 && e.box.y >= 0 && e.box.x + e.box.width <= scene.width && e.box.y + e.box.height <= scene.height, `${e.id} inside ${scene.name}`).toBe(true);
        }
      }
    }
  });
});

describe('brand documents', () => {
  it('validates and migrates a version-0 brand', () => {
    const brand = parseBrand(fixture('brand-v0.json'));
    expect(brand.colors.primary).toBe('#112233');
    expect(brand.logos.icon.on_dark).toBe('asset:brands/167/logo-on-dark.svg');
  });

  it('names the path of a bad colour', () => {
    const raw = fixture('brand-v0.json');
    raw.palette.accent = 'red';
    expect(errorOf(() => parseBrand(raw)).message).toContain('$.colors.accent');
  });
});
