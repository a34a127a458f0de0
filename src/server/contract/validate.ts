import { Ajv, type ErrorObject } from 'ajv';
import { AdsmithError } from '../../errors/catalogue.js';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });

/** JSON Schema of the generate body: the contract's fields plus Adsmith's (sync, webhook_url, output_format, scale, max_kb). Unknown fields are refused. */
export const GenerateBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['template_id'],
  properties: {
    template_id: { type: ['string', 'integer'], minLength: 1, maxLength: 64 },
    brand_id: { type: ['string', 'integer', 'null'], maxLength: 64 },
    content_moderation: { type: 'boolean' },
    smart_image: {
      type: 'object',
      additionalProperties: false,
      properties: {
        input_image_url: { type: 'string', minLength: 1, maxLength: 8192 },
        main_object_url: { type: 'string', minLength: 1, maxLength: 8192, description: 'Alias of input_image_url (the contract lists it as required).' },
        scene: {
          type: 'object',
          additionalProperties: false,
          properties: {
            operation: { type: 'string', enum: ['expand_image', 'lifestyle_shot_by_text'] },
            input: { type: 'string', maxLength: 2000 },
          },
        },
      },
    },
    elements: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['content'],
        properties: {
          layer_type: { type: 'string', enum: ['text', 'image', 'smartImage', 'logo', 'shape'] },
          content_type: { type: ['string', 'null'], maxLength: 64 },
          content: { type: 'string', maxLength: 100_000 },
          id: { type: 'string', minLength: 1, maxLength: 64 },
          locale: {
            type: 'string',
            maxLength: 35,
            pattern: '^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$',
            description: 'Language of this content as a BCP 47 tag (ja, ko, zh-Hant, zh-TW…): picks the glyph forms of Han characters. Beyond the contract; optional.',
          },
        },
      },
    },
    sync: { type: 'boolean' },
    webhook_url: { type: 'string', minLength: 1, maxLength: 2048 },
    output_format: { type: 'string', enum: ['png', 'jpeg', 'webp'] },
    scale: { type: 'integer', enum: [1, 2] },
    max_kb: { type: 'number', minimum: 1, maximum: 100_000 },
  },
} as const;

export interface GenerateBody {
  template_id: string | number;
  brand_id?: string | number | null;
  content_moderation?: boolean;
  smart_image?: { input_image_url?: string; main_object_url?: string; scene?: { operation?: 'expand_image' | 'lifestyle_shot_by_text'; input?: string } };
  elements?: Array<{ layer_type?: string; content_type?: string | null; content: string; id?: string; locale?: string }>;
  sync?: boolean;
  webhook_url?: string;
  output_format?: 'png' | 'jpeg' | 'webp';
  scale?: 1 | 2;
  max_kb?: number;
}

/** A JSON Pointer (`/elements/0/content`) as the field path a user reads (`elements[0].content`). */
export function fieldPath(pointer: string, extra?: string): string {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) segs.push(extra);
  let out = '';
  for (const s of segs) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out || 'body';
}

export function describeAjvError(e: ErrorObject): { field: string; problem: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: fieldPath(e.instancePath, String(p['missingProperty'])), problem: 'is required.' };
    case 'additionalProperties':
      return { field: fieldPath(e.instancePath, String(p['additionalProperty'])), problem: 'is not a known field: check its spelling, or remove it.' };
    case 'type':
      return { field: fieldPath(e.instancePath), problem: `must be ${String(p['type']).replace(/,/g, ' or ')}.` };
    case 'enum':
      return { field: fieldPath(e.instancePath), problem: `must be one of: ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.` };
    case 'maxLength':
    case 'maxItems':
      return { field: fieldPath(e.instancePath), problem: `is too long (${e.message ?? ''}).` };
    case 'minLength':
      return { field: fieldPath(e.instancePath), problem: 'must not be empty.' };
    case 'pattern':
      if (/\/locale$/.test(e.instancePath)) return { field: fieldPath(e.instancePath), problem: 'must be a BCP 47 language tag such as "ja", "ko", "zh-Hant" or "en-US".' };
      return { field: fieldPath(e.instancePath), problem: `${e.message ?? 'is invalid'}.` };
    default:
      return { field: fieldPath(e.instancePath), problem: `${e.message ?? 'is invalid'}.` };
  }
}

const validators = new Map<object, ReturnType<typeof ajv.compile>>();

/**
 * Optional fields sent as null (SDKs generated from the hosted app's schema do that) count as absent:
 * drops null members of the body, of `smart_image`, `smart_image.scene` and of each element.
 */
export function dropNulls(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const strip = (o: unknown): unknown =>
    o && typeof o === 'object' && !Array.isArray(o) ? Object.fromEntries(Object.entries(o as Record<string, unknown>).filter(([, v]) => v !== null)) : o;
  const out = strip(body) as Record<string, unknown>;
  if (out['smart_image']) {
    const si = strip(out['smart_image']) as Record<string, unknown>;
    if (si['scene']) si['scene'] = strip(si['scene']);
    out['smart_image'] = si;
  }
  if (Array.isArray(out['elements'])) out['elements'] = (out['elements'] as unknown[]).map(strip);
  return out;
}

/** Validates `value` against `schema`; throws ADS_BAD_REQUEST naming the first wrong field. */
export function check<T>(schema: object, value: unknown): T {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    validators.set(schema, v);
  }
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AdsmithError('ADS_BAD_REQUEST', { field: 'body', problem: 'must be a JSON object.' });
  }
  if (!v(value)) {
    const first = v.errors?.[0];
    const { field, problem } = first ? describeAjvError(first) : { field: 'body', problem: 'is invalid.' };
    throw new AdsmithError('ADS_BAD_REQUEST', { field, problem });
  }
  return value as T;
}
