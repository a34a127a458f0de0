import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, randomKey, type Adsmith, type BatchInput, type BatchRow, type BatchRowInput, type BatchUpdate } from '../../client/index.js';
import { AdsmithError as ClientError } from '../../client/index.js';
import { exitKindOf, type ExitKind } from '../errors.js';
import { formatOfUrl, sceneFileName } from '../file-names.js';
import type { ManifestBatch, ManifestRow, ManifestWriter } from './manifest.js';
import { nameRowFields, type PlannedRow } from './plan.js';
import type { BatchCounts, BatchSink } from './progress.js';

/** Why a row failed, for the exit code: what the user sent (2), the plan (4), the server (5). */
export type RowError = { code: string; message: string; kind: ExitKind };

export interface RunContext {
  client: Adsmith;
  out: string;
  writer: ManifestWriter;
  planned: Map<number, PlannedRow>;
  /** template_id, brand_id, output options, defaults: every row's shared part. */
  shared: Omit<BatchInput, 'rows'>;
  sink: BatchSink;
  signal: AbortSignal;
}

const FINAL_ROW = new Set(['completed', 'failed', 'cancelled']);

/** A server error code's exit kind: refused input, plan limits, or the server. */
function kindOfCode(code: string): ExitKind {
  if (code === 'ADS_QUOTA_EXCEEDED' || code === 'ADS_ACCESS_DENIED' || code === 'ADS_RATE_LIMITED') return 'quota';
  if (/RENDER|INTERNAL|WORKER|INTERRUPTED|SCENE_FAILED|ENCODE|MODEL/.test(code)) return 'server';
  return 'input';
}

/**
 * Sends the rows that need rendering (uploading their local files once per
 * server), follows every unfinished batch of this --out, and saves each row's
 * scenes as soon as the row is final. Every step is recorded in the manifest
 * before the next, so an interruption resumes where it stopped.
 */
export class BatchRun {
  private readonly rows: Map<number, ManifestRow>;
  private readonly saving = new Set<Promise<void>>();
  /** Rows being downloaded: a repeated event for them is ignored (their manifest status stays "submitted" until saved). */
  private readonly claimed = new Set<number>();
  private readonly scenes = new Map<string, { total: number; done: number }>();
  private downloadsActive = 0;
  private readonly downloadQueue: Array<() => void> = [];

  constructor(private readonly ctx: RunContext) {
    this.rows = new Map(ctx.writer.manifest.rows.map((r) => [r.row, r]));
  }

  private get manifest() {
    return this.ctx.writer.manifest;
  }

  counts(): BatchCounts {
    const all = this.manifest.rows;
    const scenes = [...this.scenes.values()];
    return {
      rowsTotal: all.length,
      rowsSaved: all.filter((r) => r.status === 'done').length,
      rowsFailed: all.filter((r) => r.status === 'failed').length,
      scenesTotal: scenes.reduce((n, s) => n + s.total, 0),
      scenesDone: scenes.reduce((n, s) => n + s.done, 0),
    };
  }

  private fail(row: ManifestRow, error: RowError): void {
    row.status = 'failed';
    row.error = error;
    this.ctx.sink.update(this.counts());
    this.ctx.sink.row(`failed: ${error.message}`);
  }

  /** Uploads each local file of the rows once (cached in the manifest per path, size and mtime); a row whose upload is refused fails alone. */
  private async upload(rows: PlannedRow[]): Promise<Map<number, Map<string, string>>> {
    const urls = new Map<number, Map<string, string>>();
    for (const p of rows) {
      const mine = new Map<string, string>();
      urls.set(p.row, mine);
      for (const [cell, file] of p.files) {
        const cached = this.manifest.uploads[file.path];
        if (cached && cached.size === file.size && Math.round(cached.mtimeMs) === Math.round(file.mtimeMs)) {
          mine.set(cell, cached.url);
          continue;
        }
        try {
          const uploaded = await this.ctx.client.files.upload(file.path, { signal: this.ctx.signal });
          this.manifest.uploads[file.path] = { size: file.size, mtimeMs: file.mtimeMs, url: uploaded.url };
          mine.set(cell, uploaded.url);
        } catch (err) {
          if (this.ctx.signal.aborted || !(err instanceof ClientError) || exitKindOf(err) !== 'input') throw err;
          const column = p.elements.findIndex((e) => e.content === cell);
          const where = column >= 0 ? `column "${p.elementColumns[column]}"` : `column "${p.smartImageColumn ?? 'image'}"`;
          this.fail(this.rows.get(p.row)!, { code: err.code, kind: 'input', message: `row ${p.row}, ${where}: ${file.path} was refused: ${err.message}` });
          urls.delete(p.row);
          break;
        }
      }
    }
    await this.ctx.writer.save();
    return urls;
  }

  /** The batch row a planned row becomes, its local paths replaced by upload URLs. */
  private batchRow(p: PlannedRow, urls: Map<string, string>): BatchRowInput {
    const url = (v: unknown) => (typeof v === 'string' ? (urls.get(v) ?? v) : v);
    return {
      key: p.key,
      ...(p.elements.length ? { elements: p.elements.map((e) => ({ ...e, content: url(e.content) as string })) } : {}),
      ...(p.smartImage ? { smart_image: { ...p.smartImage, ...(p.smartImage.input_image_url ? { input_image_url: url(p.smartImage.input_image_url) as string } : {}) } } : {}),
    };
  }

  /** Submits the rows as one batch. A resubmission after a crash reuses the saved Idempotency-Key, so the server answers with the batch it already made. */
  async submit(rows: PlannedRow[]): Promise<ManifestBatch | null> {
    const urls = await this.upload(rows);
    const sendable = rows.filter((p) => urls.has(p.row));
    if (!sendable.length) return null;
    const rowNumbers = sendable.map((p) => p.row);
    const pending = this.manifest.pending;
    const key = pending && pending.rows.join(',') === rowNumbers.join(',') ? pending.idempotency_key : randomKey();
    this.manifest.pending = { idempotency_key: key, rows: rowNumbers };
    await this.ctx.writer.save();
    const created = await this.ctx.client.batches.create({ ...this.ctx.shared, rows: sendable.map((p) => this.batchRow(p, urls.get(p.row)!)) }, { idempotencyKey: key, signal: this.ctx.signal });
    const batch: ManifestBatch = { batch_id: created.batch_id, rows: rowNumbers, final: false };
    this.manifest.batches.push(batch);
    delete this.manifest.pending;
    for (const n of rowNumbers) Object.assign(this.rows.get(n)!, { status: 'submitted', batch_id: created.batch_id });
    for (const refused of created.failed_rows ?? []) this.settleRefused(batch, refused);
    await this.ctx.writer.save();
    return batch;
  }

  private settleRefused(batch: ManifestBatch, r: BatchRow): void {
    const n = batch.rows[r.index];
    const row = n === undefined ? undefined : this.rows.get(n);
    if (!row || row.status !== 'submitted' || row.batch_id !== batch.batch_id) return;
    const planned = this.ctx.planned.get(row.row);
    const code = r.error?.code ?? 'ADS_BAD_REQUEST';
    const message = planned ? nameRowFields(r.error?.message ?? 'refused by the server', planned) : (r.error?.message ?? 'refused');
    this.fail(row, { code, kind: kindOfCode(code), message: message.startsWith(`row ${row.row}`) ? message : `row ${row.row}: ${message}` });
  }

  /** Runs `task` when fewer than 4 rows are downloading. */
  private async limited(task: () => Promise<void>): Promise<void> {
    if (this.downloadsActive >= 4) await new Promise<void>((r) => this.downloadQueue.push(r));
    this.downloadsActive++;
    try {
      await task();
    } finally {
      this.downloadsActive--;
      this.downloadQueue.shift()?.();
    }
  }

  /** Saves a final row's rendered scenes under --out/<folder>, then records it. */
  private async saveRow(row: ManifestRow, r: BatchRow): Promise<void> {
    const dir = join(this.ctx.out, row.folder);
    await mkdir(dir, { recursive: true });
    const files: string[] = [];
    for (const item of r.result ?? []) {
      if (item.status !== 'done' && item.status !== 'moderated') continue;
      const index = Number(/^scene_(\d+)$/.exec(item.key)?.[1] ?? 1) - 1;
      const name = sceneFileName({ index, name: item.name, width: item.resolution.width, height: item.resolution.height, format: formatOfUrl(item.url) });
      await writeFile(join(dir, name), await this.ctx.client.download(item.url, { signal: this.ctx.signal }));
      files.push(join(row.folder, name));
    }
    row.files = files.sort();
    if (r.request_id) row.request_id = r.request_id;
    if (r.status === 'completed') {
      row.status = 'done';
      delete row.error;
      this.ctx.sink.update(this.counts());
      this.ctx.sink.row(`row ${row.row} ${row.key}: ${files.length} scenes saved to ${dir}`);
    } else {
      const planned = this.ctx.planned.get(row.row);
      const code = r.status === 'cancelled' ? 'ADS_CANCELLED' : (r.error?.code ?? 'ADS_RENDER_FAILED');
      const raw = r.status === 'cancelled' ? 'the row was cancelled on the server' : (r.error?.message ?? 'rendering failed');
      this.fail(row, { code, kind: r.status === 'cancelled' ? 'server' : kindOfCode(code), message: `row ${row.row} ${row.key}: ${planned ? nameRowFields(raw, planned) : raw}${files.length ? ` (${files.length} scenes saved)` : ''}` });
    }
    await this.ctx.writer.save();
  }

  private onRow(batch: ManifestBatch, r: BatchRow): void {
    if (r.scenes_total !== undefined) this.scenes.set(`${batch.batch_id}/${r.index}`, { total: r.scenes_total, done: r.scenes_done ?? 0 });
    if (!FINAL_ROW.has(r.status)) return;
    const n = batch.rows[r.index];
    const row = n === undefined ? undefined : this.rows.get(n);
    // Only rows this batch still owns (not saved since, not resubmitted elsewhere).
    if (!row || row.status !== 'submitted' || row.batch_id !== batch.batch_id || this.claimed.has(row.row)) return;
    if (!r.request_id) return this.settleRefused(batch, r);
    this.claimed.add(row.row);
    const p = this.limited(() => this.saveRow(row, r)).catch((err: unknown) => {
      // Not saved (interrupted, network): the row stays with its batch and is picked up on the next run.
      this.claimed.delete(row.row);
      if (!this.ctx.signal.aborted) this.ctx.sink.row(`row ${row.row} ${row.key}: could not save its scenes (${(err as Error).message}); run again to retry`);
    });
    this.saving.add(p);
    void p.finally(() => this.saving.delete(p));
  }

  /** Follows a batch until every row is final and saved. */
  async follow(batch: ManifestBatch): Promise<void> {
    const apply = (u: Pick<BatchUpdate, 'rows'>) => {
      for (const r of u.rows) this.onRow(batch, r);
      this.ctx.sink.update(this.counts());
    };
    for await (const update of this.ctx.client.batches.updates(batch.batch_id, { signal: this.ctx.signal })) apply(update);
    // The final status carries every row's result: anything an event did not deliver is saved now.
    apply(await this.ctx.client.batches.get(batch.batch_id, { signal: this.ctx.signal }));
    await this.drain();
    // A row whose download failed keeps the batch open, so the next run re-attaches and saves it.
    batch.final = batch.rows.every((n) => this.rows.get(n)?.status !== 'submitted' || this.rows.get(n)?.batch_id !== batch.batch_id);
    await this.ctx.writer.save();
  }

  /** Waits for the downloads under way. */
  async drain(): Promise<void> {
    while (this.saving.size) await Promise.allSettled([...this.saving]);
  }

  /** Is a batch of an earlier run still there to follow? (Another server, or a wiped data dir, has forgotten it.) */
  async stillKnown(batch: ManifestBatch): Promise<boolean> {
    try {
      await this.ctx.client.batches.get(batch.batch_id, { signal: this.ctx.signal });
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
}

/** Files a done row says it saved are all there (a deleted folder means render again). */
export function rowFilesPresent(out: string, row: ManifestRow): boolean {
  return (row.files ?? []).length > 0 && (row.files ?? []).every((f) => existsSync(join(out, f)));
}
