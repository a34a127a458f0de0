import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import { parseBrand, parseTemplate } from '../engine/model/validate.js';
import { PUBLIC_BRAND_IDS, publicBrandPath } from './brands/index.js';

/** Public templates: 1061 works without a brand, 1062 takes everything from one. */
export const PUBLIC_TEMPLATE_IDS = ['1061', '1062'] as const;

let templates: TemplateDocument[] | undefined;
let brands: BrandDocument[] | undefined;

/** The public templates, validated once per process. */
export function publicTemplates(): TemplateDocument[] {
  templates ??= PUBLIC_TEMPLATE_IDS.map((id) =>
    parseTemplate(JSON.parse(readFileSync(fileURLToPath(new URL(`./templates/${id}.json`, import.meta.url)), 'utf8'))),
  );
  return templates;
}

/** The public brands (167, 166, 122, 121, 120), validated once per process. */
export function publicBrands(): BrandDocument[] {
  brands ??= PUBLIC_BRAND_IDS.map((id) => parseBrand(JSON.parse(readFileSync(publicBrandPath(id), 'utf8'))));
  return brands;
}

export function publicTemplate(id: string): TemplateDocument | undefined {
  return publicTemplates().find((t) => t.id === id);
}

export function publicBrand(id: string): BrandDocument | undefined {
  return publicBrands().find((b) => b.id === id);
}
