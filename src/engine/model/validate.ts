import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AdsmithError } from '../../errors/catalogue.js';
import { BrandDocument } from './brand.js';
import { migrateBrand, migrateTemplate } from './migrate.js';
import { CONTENT_TYPE_PATTERN, SLOT_PREFIX_BY_LAYER, TemplateDocument, type Element } from './template.js';

const ajv = new Ajv({ allErrors: false, strict: false, discriminator: true, useDefaults: false });
ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));

let templateValidator: ValidateFunction | undefined;
let brandValidator: ValidateFunction | undefined;

/** A JSON Pointer (`/scenes/0/name`) as a readable path (`$.scenes[0].name`). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
      .join('')
  );
}

function describeRule(error: ErrorObject): { path: string; rule: string } {
  const path = pointerToPath(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}.${String(p['missingProperty'])}`, rule: 'is required' };
    case 'additionalProperties':
      return { path: `${path}.${String(p['additionalProperty'])}`, rule: 'is not a known property (check its spelling, or remove it)' };
    case 'const':
      return { path, rule: `must be ${JSON.stringify(p['allowedValue'])}` };
    case 'discriminator':
      return { path, rule: `has an unknown or missing "${String(p['tag'])}"` };
    case 'pattern':
      return { path, rule: `${error.message ?? 'does not match'}; see the schema's description of this field` };
    default:
      return { path, rule: error.message ?? error.keyword };
  }
}

function fail(kind: 'template' | 'brand', path: string, rule: string): never {
  throw new AdsmithError(kind === 'template' ? 'ADS_TEMPLATE_INVALID' : 'ADS_BRAND_INVALID', { path, rule });
}

function slotAllowed(layer: Element['layer_type'], contentType: string): boolean {
  return SLOT_PREFIX_BY_LAYER[layer].some((prefix) => contentType.startsWith(prefix));
}

/** Rules JSON Schema cannot say: unique ids, slot/layer agreement, size ranges, brand roles in brand-free templates. */
function checkTemplateSemantics(doc: TemplateDocument): void {
  const slotRe = new RegExp(CONTENT_TYPE_PATTERN);
  // Ids are unique across the whole template so that an override by id targets exactly one element.
  const ids = new Set<string>();
  doc.scenes.forEach((scene, s) => {
    scene.elements.forEach((el, e) => {
      const at = `$.scenes[${s}].elements[${e}]`;
      if (ids.has(el.id)) fail('template', `${at}.id`, `duplicates id "${el.id}"; element ids must be unique across the template`);
      ids.add(el.id);
      if (el.content_type !== null) {
        if (!slotRe.test(el.content_type)) fail('template', `${at}.content_type`, 'is not a known slot');
        if (!slotAllowed(el.layer_type, el.content_type)) {
          fail('template', `${at}.content_type`, `"${el.content_type}" cannot fill a ${el.layer_type} element (allowed: ${SLOT_PREFIX_BY_LAYER[el.layer_type].join(', ')}…)`);
        }
      }
      if (el.layer_type === 'text' && el.style.font_size.min > el.style.font_size.max) {
        fail('template', `${at}.style.font_size.min`, `must not exceed font_size.max (${el.style.font_size.max})`);
      }
    });
  });
  if (!doc.requires_brand) {
    const text = JSON.stringify(doc.scenes);
    const match = /"(brand\.[a-z_]+)/.exec(text);
    if (match) fail('template', '$.requires_brand', `is false but the template uses the brand role "${match[1]}"; set requires_brand to true or use a fixed value`);
  }
}

/** Validate a template document of any known version; returns it migrated to the current version. */
export function parseTemplate(raw: unknown): TemplateDocument {
  const migrated = migrateTemplate(raw);
  templateValidator ??= ajv.compile(TemplateDocument);
  if (!templateValidator(migrated)) {
    const first = templateValidator.errors?.[0];
    const { path, rule } = first ? describeRule(first) : { path: '$', rule: 'is invalid' };
    fail('template', path, rule);
  }
  const doc = migrated as TemplateDocument;
  checkTemplateSemantics(doc);
  return doc;
}

/** Validate a brand document of any known version; returns it migrated to the current version. */
export function parseBrand(raw: unknown): BrandDocument {
  const migrated = migrateBrand(raw);
  brandValidator ??= ajv.compile(BrandDocument);
  if (!brandValidator(migrated)) {
    const first = brandValidator.errors?.[0];
    const { path, rule } = first ? describeRule(first) : { path: '$', rule: 'is invalid' };
    fail('brand', path, rule);
  }
  return migrated as BrandDocument;
}
