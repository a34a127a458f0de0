import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AdsmithError } from '../../errors/catalogue.js';
import { BrandDocument } from './brand.js';
import { migrateBrand, migrateTemplate } from './migrate.js';
import { TemplateDocument } from './template.js';
import { templateRuleViolation } from './template-rules.js';

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
  const broken = templateRuleViolation(doc);
  if (broken) fail('template', broken.path, broken.rule);
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
