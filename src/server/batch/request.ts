import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { check, dropNulls, GenerateBodySchema, type GenerateBody } from '../contract/validate.js';

/**
 * The batch body: generate's shared fields once, `defaults` every row starts
 * from, and `rows` — each row one generate request. This module only turns a
 * batch body into per-row generate bodies and maps field paths back to where
 * the user wrote them (`rows[3].elements[0].content`); it checks nothing a
 * generate request does not.
 */

const G = GenerateBodySchema.properties;

/** What a batch may hold beyond its rows; `rows` items are checked one by one (see RowSchema) so a bad row fails alone. */
export const BatchBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['template_id', 'rows'],
  properties: {
    template_id: G.template_id,
    brand_id: G.brand_id,
    output_format: G.output_format,
    scale: G.scale,
    max_kb: G.max_kb,
    content_moderation: G.content_moderation,
    webhook_url: G.webhook_url,
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: { elements: G.elements, smart_image: G.smart_image },
    },
    rows: { type: 'array', items: { type: 'object' } },
  },
} as const;

export const RowSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 200, description: 'Your name for the row (e.g. a SKU); echoed in its status.' },
    elements: G.elements,
    smart_image: G.smart_image,
  },
} as const;

type Element = NonNullable<GenerateBody['elements']>[number];
type SmartImage = NonNullable<GenerateBody['smart_image']>;

export interface BatchBody {
  template_id: string | number;
  brand_id?: string | number | null;
  output_format?: GenerateBody['output_format'];
  scale?: GenerateBody['scale'];
  max_kb?: number;
  content_moderation?: boolean;
  webhook_url?: string;
  defaults?: { elements?: Element[]; smart_image?: SmartImage };
  rows: unknown[];
}

export interface BatchRow {
  key?: string;
  elements?: Element[];
  smart_image?: SmartImage;
}

/** Schema-checks the batch body apart from the rows' contents; ADS_BAD_REQUEST naming the field. */
export function parseBatchBody(raw: unknown, maxRows: number): BatchBody {
  const body = check<BatchBody>(BatchBodySchema, dropNulls(raw));
  if (body.defaults) body.defaults = dropNulls(body.defaults) as BatchBody['defaults'];
  if (body.rows.length === 0) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'rows', problem: 'must hold at least one row.' });
  if (body.rows.length > maxRows) {
    throw new AdsmithError('ADS_BAD_REQUEST', { field: 'rows', problem: `holds ${body.rows.length} rows; a batch takes at most ${maxRows} (ADSMITH_BATCH_MAX_ROWS): split it into several batches.` });
  }
  return body;
}

/** The shared fields as one generate body (defaults included); `webhook_url` belongs to the batch, not to each row. */
function sharedFields(body: BatchBody): GenerateBody {
  const out: GenerateBody = { template_id: body.template_id };
  if (body.brand_id !== undefined) out.brand_id = body.brand_id;
  if (body.output_format !== undefined) out.output_format = body.output_format;
  if (body.scale !== undefined) out.scale = body.scale;
  if (body.max_kb !== undefined) out.max_kb = body.max_kb;
  if (body.content_moderation !== undefined) out.content_moderation = body.content_moderation;
  return out;
}

/**
 * The generate body that checks what every row shares: shared fields, defaults and the webhook URL. A default
 * smart_image without an input image is left to the rows (they bring the image, the defaults the operation).
 */
export function sharedGenerateBody(body: BatchBody): GenerateBody {
  const out = sharedFields(body);
  if (body.webhook_url !== undefined) out.webhook_url = body.webhook_url;
  if (body.defaults?.elements) out.elements = body.defaults.elements;
  const smart = body.defaults?.smart_image;
  if (smart && (smart.input_image_url || smart.main_object_url)) out.smart_image = smart;
  return out;
}

/** Where each part of a row's generate body came from, to name fields as the user wrote them. */
export interface RowOrigins {
  row: number;
  /** elements[n] of the merged body → `rows[i].elements[j]` or `defaults.elements[k]`. */
  elements: string[];
  smartImage: string;
}

/** True when two overrides fill the same slot: the same element id, or (without ids) the same content_type. */
function sameTarget(a: Element, b: Element): boolean {
  if (a.id !== undefined || b.id !== undefined) return a.id !== undefined && a.id === b.id;
  return a.content_type !== undefined && a.content_type !== null && a.content_type === b.content_type;
}

/**
 * One row as a generate body: the shared fields, then the defaults' elements the row does not override (same id,
 * or same content_type), then the row's own; smart_image is the defaults' with the row's fields on top.
 */
export function rowGenerateBody(body: BatchBody, row: BatchRow, index: number): { body: GenerateBody; origins: RowOrigins } {
  const out = sharedFields(body);
  const defaults = body.defaults?.elements ?? [];
  const own = row.elements ?? [];
  const elements: Element[] = [];
  const origins: string[] = [];
  defaults.forEach((d, k) => {
    if (own.some((o) => sameTarget(o, d))) return;
    elements.push(d);
    origins.push(`defaults.elements[${k}]`);
  });
  own.forEach((o, j) => {
    elements.push(o);
    origins.push(`rows[${index}].elements[${j}]`);
  });
  if (elements.length) out.elements = elements;
  const d = body.defaults?.smart_image;
  const r = row.smart_image;
  if (d || r) {
    const scene = d?.scene || r?.scene ? { ...d?.scene, ...r?.scene } : undefined;
    out.smart_image = { ...d, ...r, ...(scene ? { scene } : {}) };
  }
  return { body: out, origins: { row: index, elements: origins, smartImage: r ? `rows[${index}].smart_image` : 'defaults.smart_image' } };
}

/** Schema-checks one row (its own fields only); the error names `rows[i].…`. */
export function parseRow(raw: unknown, index: number): BatchRow {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AdsmithError('ADS_BAD_REQUEST', { field: `rows[${index}]`, problem: 'must be a JSON object.' });
  try {
    const row = check<BatchRow>(RowSchema, dropNulls(raw));
    if (row.smart_image) row.smart_image = (dropNulls({ smart_image: row.smart_image }) as { smart_image: SmartImage }).smart_image;
    return row;
  } catch (err) {
    if (isAdsmithError(err) && err.code === 'ADS_BAD_REQUEST') {
      throw new AdsmithError('ADS_BAD_REQUEST', { field: `rows[${index}].${String(err.params['field'])}`.replace(/\.body$/, ''), problem: String(err.params['problem']) });
    }
    throw err;
  }
}

/**
 * Rewrites the field names in a generate error's message (`elements[2].content`, `smart_image.…`) to where the
 * user wrote them in the batch (`rows[5].elements[0].content`, `defaults.smart_image.…`).
 */
export function renameFields(message: string, origins: Pick<RowOrigins, 'elements' | 'smartImage'>): string {
  return message.replace(/(?<![\w.\]])(elements\[(\d+)\]|smart_image)/g, (whole, _m: string, n: string | undefined) => {
    if (n !== undefined) return origins.elements[Number(n)] ?? whole;
    return origins.smartImage;
  });
}

/** A generate error as a batch error: the same code and status, the message naming the batch's fields. */
export function batchError(err: AdsmithError, origins: Pick<RowOrigins, 'elements' | 'smartImage'>): AdsmithError {
  const renamed = new AdsmithError(err.code, err.params);
  renamed.message = renameFields(err.message, origins);
  return renamed;
}
