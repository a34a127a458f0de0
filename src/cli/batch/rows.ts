import { parse } from 'csv-parse/sync';
import { CliError } from '../errors.js';

/**
 * The rows file of `adsmith batch`: a CSV with a header. Columns map to the
 * template: a content type (`Heading #1`, `Image #1`), `id:<element id>`, the
 * smart image (`image` or `smart_image`, `operation`, `prompt`), and `key` (the
 * row's output folder). Rows are numbered as a spreadsheet shows them: the
 * header is row 1, the first product row 2.
 */

export type ColumnRole =
  | { kind: 'key' }
  | { kind: 'smart_image' }
  | { kind: 'operation' }
  | { kind: 'prompt' }
  | { kind: 'content_type'; contentType: string; image: boolean }
  | { kind: 'id'; id: string; image: boolean };

export interface Column {
  name: string;
  role: ColumnRole;
}

/** What the template offers, read from the server (`GET /v1/ads/templates/{id}`). */
export interface TemplateSlots {
  contentTypes: Map<string, string>;
  /** element id → layer type. */
  ids: Map<string, string>;
}

export interface CsvRow {
  /** Spreadsheet row number (header = 1). */
  row: number;
  cells: string[];
}

const IMAGE_LAYERS = new Set(['image', 'smartImage', 'logo']);
const RESERVED: Record<string, ColumnRole> = {
  key: { kind: 'key' },
  image: { kind: 'smart_image' },
  smart_image: { kind: 'smart_image' },
  operation: { kind: 'operation' },
  prompt: { kind: 'prompt' },
};

/** Reads the CSV; a file that is not CSV, or has no header or no rows, is a CliError naming it. */
export function readCsv(text: string, file: string): { header: string[]; rows: CsvRow[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    throw new CliError('input', `${file} is not a valid CSV file: ${(err as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new CliError('input', `${file} is empty: it needs a header row (e.g. key,Heading #1,image) and one row per product.`);
  if (!body.length) throw new CliError('input', `${file} has a header but no rows: add one row per product.`);
  return { header: head.record, rows: body.map((r, i) => ({ row: i + 2, cells: r.record })) };
}

/** Each header cell's meaning; an unknown or repeated column is a CliError that lists what is accepted. */
export function classifyColumns(header: string[], slots: TemplateSlots, templateId: string, file: string): Column[] {
  const seen = new Set<string>();
  const columns = header.map((raw, i): Column => {
    const name = raw.trim();
    if (!name) throw new CliError('input', `${file}: column ${i + 1} of the header is empty; name it (e.g. "Heading #1") or remove it.`);
    const lower = name.toLowerCase();
    if (seen.has(lower)) throw new CliError('input', `${file}: column "${name}" appears twice in the header.`);
    seen.add(lower);
    const reserved = RESERVED[lower];
    if (reserved) return { name, role: reserved };
    if (lower.startsWith('id:')) {
      const id = name.slice(3).trim();
      const layer = slots.ids.get(id);
      if (!layer) throw new CliError('input', `${file}: column "${name}" names element "${id}", which template ${templateId} does not have (see \`GET /v1/ads/templates/${templateId}\` for its element ids).`);
      return { name, role: { kind: 'id', id, image: IMAGE_LAYERS.has(layer) } };
    }
    const contentType = [...slots.contentTypes.keys()].find((c) => c.toLowerCase() === lower);
    if (!contentType) {
      throw new CliError(
        'input',
        `${file}: column "${name}" is not a slot of template ${templateId}. Its slots: ${[...slots.contentTypes.keys()].sort().join(', ')}; other columns: key, image (or smart_image), operation, prompt, id:<element id>.`,
      );
    }
    return { name, role: { kind: 'content_type', contentType, image: IMAGE_LAYERS.has(slots.contentTypes.get(contentType) ?? '') } };
  });
  if (!columns.some((c) => c.role.kind !== 'key')) {
    throw new CliError('input', `${file} has no column to fill: add at least one slot column (e.g. "Heading #1") or image.`);
  }
  return columns;
}

/** Whether a column's cells are image inputs (paths or URLs). */
export function isImageColumn(c: Column): boolean {
  return c.role.kind === 'smart_image' || ((c.role.kind === 'content_type' || c.role.kind === 'id') && c.role.image);
}

/** The template's content types and element ids (with layer types) from its contract view. */
export function slotsOf(contract: Record<string, unknown>): TemplateSlots {
  const contentTypes = new Map<string, string>();
  const ids = new Map<string, string>();
  for (const [key, value] of Object.entries(contract)) {
    if (!key.startsWith('scene_') || !Array.isArray(value)) continue;
    for (const el of value as Array<{ id: string; layer_type: string; content_type: string | null }>) {
      ids.set(el.id, el.layer_type);
      if (el.content_type && !contentTypes.has(el.content_type)) contentTypes.set(el.content_type, el.layer_type);
    }
  }
  return { contentTypes, ids };
}
