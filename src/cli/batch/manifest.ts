import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from '../errors.js';
import type { PlannedRow } from './plan.js';

/**
 * `--out/manifest.json`: what a batch run did, row by row, and what it needs to
 * resume. Written atomically (temp file + rename) after every change, so a
 * kill at any moment leaves the last consistent state.
 */

export type RowState = 'pending' | 'submitted' | 'done' | 'failed';

export interface ManifestRow {
  row: number;
  key: string;
  folder: string;
  /** Hash of everything that decides the row's images; a change re-renders it. */
  signature: string;
  status: RowState;
  batch_id?: string;
  request_id?: string;
  /** Saved scene files, relative to --out. */
  files?: string[];
  /** `kind` says what failed: the row's input (exit 2), the plan (4) or the server (5). */
  error?: { code: string; message: string; kind?: 'input' | 'quota' | 'server' | string };
}

export interface ManifestBatch {
  batch_id: string;
  /** CSV row number of each batch row, in the batch's order. */
  rows: number[];
  final: boolean;
}

export interface Manifest {
  version: 1;
  template: string;
  brand: string | null;
  rows_file: string;
  /** The server's URL, or "embedded" (`--out/.adsmith`). */
  server: string;
  updated_at: string;
  /** Local files already uploaded to this server: path → identity and URL. */
  uploads: Record<string, { size: number; mtimeMs: number; url: string }>;
  /** A submission whose answer may not have been saved (crash): re-sent with the same Idempotency-Key. */
  pending?: { idempotency_key: string; rows: number[] };
  batches: ManifestBatch[];
  rows: ManifestRow[];
}

export function manifestPath(out: string): string {
  return join(out, 'manifest.json');
}

export async function loadManifest(out: string): Promise<Manifest | null> {
  const file = manifestPath(out);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    if (m.version !== 1 || !Array.isArray(m.rows)) throw new Error('unknown format');
    return m;
  } catch (err) {
    throw new CliError('input', `${file} exists but is not an adsmith batch manifest (${(err as Error).message}); move it away or choose another --out.`);
  }
}

/** Writes the manifest atomically; saves are serialised so the file always holds the newest state. */
export class ManifestWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly out: string,
    readonly manifest: Manifest,
  ) {}

  save(): Promise<void> {
    this.chain = this.chain.then(async () => {
      this.manifest.updated_at = new Date().toISOString();
      const file = manifestPath(this.out);
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(this.manifest, null, 2) + '\n');
      await rename(tmp, file);
    });
    return this.chain;
  }
}

/** The row's signature: shared request fields, its elements and smart image, and the identity of its local files. */
export function rowSignature(shared: object, row: PlannedRow): string {
  const files = [...row.files.entries()].map(([cell, f]) => [cell, f.size, Math.round(f.mtimeMs)]);
  return createHash('sha256').update(JSON.stringify([shared, row.elements, row.smartImage ?? null, files])).digest('hex').slice(0, 32);
}
