import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { ElementInput, SmartImageInput } from '../../client/index.js';
import { isImageColumn, type Column, type CsvRow } from './rows.js';

const OPERATIONS = ['lifestyle_shot_by_text', 'expand_image'];

/** A local file a row uses: where it is and what it was when planned (so a changed photo re-renders its row). */
export interface LocalFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** One CSV row turned into a batch row, or the reasons it cannot be. */
export interface PlannedRow {
  row: number;
  key: string;
  /** Output folder name under --out (the key, made safe for file systems). */
  folder: string;
  elements: ElementInput[];
  /** Which column each element came from (to name it in server errors). */
  elementColumns: string[];
  smartImage?: SmartImageInput;
  smartImageColumn?: string;
  /** Local files by the value written in the cell. */
  files: Map<string, LocalFile>;
  errors: string[];
}

const isUrl = (v: string) => /^(https?:|data:)/i.test(v);
const safeFolder = (key: string) => key.replace(/[^\w.@+-]+/g, '-').replace(/^[.-]+|-+$/g, '').slice(0, 100);

/** Checks a path cell: an existing regular file, relative to the CSV's folder. */
async function localFile(value: string, baseDir: string): Promise<LocalFile | string> {
  const path = isAbsolute(value) ? value : resolve(baseDir, value);
  try {
    const st = await stat(path);
    if (!st.isFile()) return `${value} is not a file (${path})`;
    return { path, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return `file ${value} does not exist (looked for ${path})`;
  }
}

/**
 * Plans every row: elements from slot and id columns, the smart image from
 * image/operation/prompt, the key and output folder; checks cell counts,
 * operations, duplicate keys and that every local file exists. A row with
 * errors is reported and skipped; the others go ahead.
 */
export async function planRows(rows: CsvRow[], columns: Column[], opts: { baseDir: string; defaultImage: boolean }): Promise<PlannedRow[]> {
  const folders = new Map<string, number>();
  const planned: PlannedRow[] = [];
  for (const { row, cells } of rows) {
    const p: PlannedRow = { row, key: `row-${row}`, folder: `row-${row}`, elements: [], elementColumns: [], files: new Map(), errors: [] };
    planned.push(p);
    if (cells.length !== columns.length) {
      p.errors.push(`row ${row}: has ${cells.length} cells but the header has ${columns.length} columns (a missing or extra comma?)`);
      continue;
    }
    let image: { value: string; column: string } | undefined;
    let operation: string | undefined;
    let prompt: string | undefined;
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      const value = cells[i] ?? '';
      // An empty cell keeps the template's (or --set's) content.
      if (value === '') continue;
      if (isImageColumn(column) && !isUrl(value)) {
        const file = await localFile(value, opts.baseDir);
        if (typeof file === 'string') p.errors.push(`row ${row}, column "${column.name}": ${file}`);
        else p.files.set(value, file);
      }
      const role = column.role;
      switch (role.kind) {
        case 'key': {
          const folder = safeFolder(value);
          if (!folder) p.errors.push(`row ${row}, column "key": "${value}" has no letter or digit to name a folder with`);
          else if (folders.has(folder)) p.errors.push(`row ${row}, column "key": "${value}" is also the key of row ${folders.get(folder)} (each row needs its own output folder)`);
          else {
            folders.set(folder, row);
            p.key = value;
            p.folder = folder;
          }
          break;
        }
        case 'smart_image':
          image = { value, column: column.name };
          break;
        case 'operation':
          if (!OPERATIONS.includes(value)) p.errors.push(`row ${row}, column "operation": "${value}" must be one of ${OPERATIONS.join(', ')}`);
          operation = value;
          break;
        case 'prompt':
          prompt = value;
          break;
        case 'content_type':
          p.elements.push({ content_type: role.contentType, content: value });
          p.elementColumns.push(column.name);
          break;
        case 'id':
          p.elements.push({ id: role.id, content: value });
          p.elementColumns.push(column.name);
          break;
      }
    }
    if (!folders.has(p.folder) && p.folder === `row-${row}`) folders.set(p.folder, row);
    if ((operation || prompt) && !image && !opts.defaultImage) {
      p.errors.push(`row ${row}, column "image": empty, but the row has ${operation ? `operation "${operation}"` : 'a prompt'}, which needs a product photo (fill image, or pass --image for every row)`);
    }
    if (image || operation || prompt) {
      const scene = operation || prompt ? { ...(operation ? { operation: operation as 'lifestyle_shot_by_text' } : {}), ...(prompt ? { input: prompt } : {}) } : undefined;
      p.smartImage = { ...(image ? { input_image_url: image.value } : {}), ...(scene ? { scene } : {}) };
      if (image) p.smartImageColumn = image.column;
    }
  }
  return planned;
}

/** A server message about `rows[i]…` rewritten to name the CSV row and column the user wrote. */
export function nameRowFields(message: string, row: PlannedRow): string {
  return message
    .replace(/rows\[\d+\]\.elements\[(\d+)\](?:\.[a-z_]+)?/g, (_m, j: string) => `row ${row.row}, column "${row.elementColumns[Number(j)] ?? `element ${j}`}"`)
    .replace(/rows\[\d+\]\.smart_image(?:\.[a-z_]+)?/g, `row ${row.row}, column "${row.smartImageColumn ?? 'image'}"`)
    .replace(/rows\[\d+\]/g, `row ${row.row}`);
}
