import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Adsmith, type BatchInput } from '../../client/index.js';
import { serverOf, tokenOf, type ServerOptions } from '../connect.js';
import { CliError, type ExitKind } from '../errors.js';
import { interruptSignal, outputOptions, smartScene } from '../generate-command.js';
import { parseSet } from '../render-command.js';
import { startEmbeddedServer, stdoutToStderr } from './embedded.js';
import { loadManifest, manifestPath, ManifestWriter, rowSignature, type Manifest, type ManifestRow } from './manifest.js';
import { planRows, type PlannedRow } from './plan.js';
import { batchProgress } from './progress.js';
import { classifyColumns, readCsv, slotsOf } from './rows.js';
import { BatchRun, rowFilesPresent, type RowError } from './run.js';

export interface BatchCommandOptions extends ServerOptions {
  template: string;
  brand?: string;
  rows: string;
  out: string;
  set: string[];
  image?: string;
  operation?: string;
  prompt?: string;
  format: string;
  scale: string;
  maxKb?: string;
  moderate?: boolean;
  webhook?: string;
  json?: boolean;
  quiet?: boolean;
}

async function readRowsFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('input', `Cannot read the rows file ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(code ?? err)}.`);
  }
}

/** The manifest for this run: rows whose saved result still matches are kept as done; the rest start over (or stay with their unfinished batch). */
function mergeManifest(prev: Manifest | null, base: Omit<Manifest, 'rows' | 'uploads' | 'batches'>, planned: PlannedRow[], signatures: Map<number, string>, out: string): Manifest {
  const sameServer = prev !== null && prev.server === base.server;
  const before = new Map((prev?.rows ?? []).map((r) => [r.folder, r]));
  const openBatches = new Set(sameServer ? prev.batches.filter((b) => !b.final).map((b) => b.batch_id) : []);
  const rows = planned.map((p): ManifestRow => {
    const signature = signatures.get(p.row) ?? '';
    const base = { row: p.row, key: p.key, folder: p.folder, signature };
    if (p.errors.length) return { ...base, status: 'failed', error: { code: 'ADS_BAD_ROW', message: p.errors.join('; '), kind: 'input' } };
    const old = before.get(p.folder);
    if (old && old.signature === signature) {
      if (old.status === 'done' && rowFilesPresent(out, old)) return { ...old, row: p.row };
      if (old.status === 'submitted' && old.batch_id && openBatches.has(old.batch_id)) return { ...old, row: p.row };
    }
    return { ...base, status: 'pending' };
  });
  return {
    ...base,
    uploads: sameServer ? prev.uploads : {},
    ...(sameServer && prev.pending ? { pending: prev.pending } : {}),
    batches: sameServer ? prev.batches : [],
    rows,
  };
}

/** The most telling exit kind among the failed rows: the server's trouble first (a re-run may fix it), then plan limits, then input. */
function exitOf(rows: ManifestRow[]): ExitKind | null {
  const kinds = new Set(rows.filter((r) => r.status === 'failed').map((r) => (r.error as RowError | undefined)?.kind ?? 'server'));
  for (const k of ['server', 'quota', 'input'] as const) if (kinds.has(k)) return k;
  return null;
}

/**
 * `adsmith batch`: one template × the rows of a CSV, one folder of scenes per
 * row and a manifest. Without --server (or ADSMITH_SERVER) an embedded server
 * runs in this process with its data under `--out/.adsmith`.
 */
export async function batchCommand(opts: BatchCommandOptions): Promise<void> {
  const out = resolve(opts.out);
  const rowsPath = resolve(opts.rows);
  const output = outputOptions(opts);
  const scene = smartScene(opts.operation, opts.prompt);
  const defaults: BatchInput['defaults'] = {
    ...(opts.set.length ? { elements: opts.set.map(parseSet) } : {}),
    ...(opts.image || scene ? { smart_image: { ...(opts.image ? { input_image_url: opts.image } : {}), ...(scene ? { scene } : {}) } } : {}),
  };
  const { header, rows: csvRows } = readCsv(await readRowsFile(rowsPath), opts.rows);

  const serverUrl = serverOf(opts);
  const restoreStdout = serverUrl ? () => undefined : stdoutToStderr();
  const embedded = serverUrl ? null : await startEmbeddedServer(join(out, '.adsmith')).catch((err: unknown) => {
    restoreStdout();
    throw err;
  });
  const sink = batchProgress(opts);
  const interrupt = interruptSignal();
  try {
    const client = new Adsmith({ apiKey: embedded ? embedded.token : tokenOf(opts, serverUrl as string), baseUrl: embedded ? embedded.url : (serverUrl as string), maxRetries: 2 });
    const contract = await client.templates.get(opts.template);
    const columns = classifyColumns(header, slotsOf(contract), opts.template, opts.rows);
    const planned = await planRows(csvRows, columns, { baseDir: dirname(rowsPath), defaultImage: Boolean(opts.image) });
    const shared: Omit<BatchInput, 'rows'> = { template_id: opts.template, ...(opts.brand ? { brand_id: opts.brand } : {}), ...output, ...(Object.keys(defaults).length ? { defaults } : {}) };
    const signatures = new Map(planned.map((p) => [p.row, rowSignature(shared, p)]));
    const manifest = mergeManifest(
      await loadManifest(out),
      { version: 1, template: opts.template, brand: opts.brand ?? null, rows_file: rowsPath, server: serverUrl ?? 'embedded', updated_at: '' },
      planned,
      signatures,
      out,
    );
    const writer = new ManifestWriter(out, manifest);
    await writer.save();
    for (const p of planned) if (p.errors.length) sink.row(`skipped: ${p.errors.join('; ')}`);

    const run = new BatchRun({ client, out, writer, planned: new Map(planned.map((p) => [p.row, p])), shared, sink, signal: interrupt.signal });
    sink.update(run.counts());
    try {
      // Re-attach what an earlier run left rendering, then send the rest as one new batch.
      const open = [];
      for (const b of manifest.batches.filter((x) => !x.final)) {
        if (await run.stillKnown(b)) open.push(b);
        else {
          b.final = true;
          for (const r of manifest.rows) if (r.batch_id === b.batch_id && r.status === 'submitted') r.status = 'pending';
        }
      }
      const todo = planned.filter((p) => manifest.rows.find((r) => r.row === p.row)?.status === 'pending');
      const following = open.map((b) => run.follow(b));
      const fresh = todo.length ? await run.submit(todo) : null;
      if (fresh) following.push(run.follow(fresh));
      await Promise.all(following);
    } catch (err) {
      await run.drain();
      await writer.save();
      if (interrupt.signal.aborted) {
        const c = run.counts();
        throw new CliError('interrupted', `Interrupted: ${c.rowsSaved} of ${c.rowsTotal} rows saved in ${out}. Run the same command again to resume; finished rows are not rendered again.`);
      }
      throw err;
    }
    sink.stop();
    restoreStdout();
    report(manifest, out, opts);
    const kind = exitOf(manifest.rows);
    if (kind) {
      const failed = manifest.rows.filter((r) => r.status === 'failed');
      const lines = failed.slice(0, 20).map((r) => `  ${r.error?.message ?? `row ${r.row}: failed`}`);
      if (failed.length > 20) lines.push(`  … and ${failed.length - 20} more (see ${manifestPath(out)})`);
      throw new CliError(kind, `${failed.length} of ${manifest.rows.length} rows failed; the others were saved in ${out}:\n${lines.join('\n')}`);
    }
  } finally {
    sink.stop();
    interrupt.dispose();
    await embedded?.close();
    restoreStdout();
  }
}

function report(manifest: Manifest, out: string, opts: BatchCommandOptions): void {
  if (opts.json) {
    process.stdout.write(JSON.stringify({ out, manifest: manifestPath(out), rows: manifest.rows }, null, 2) + '\n');
    return;
  }
  if (opts.quiet) return;
  const done = manifest.rows.filter((r) => r.status === 'done').length;
  process.stdout.write(`${done} of ${manifest.rows.length} rows saved in ${out} (one folder per row); manifest: ${manifestPath(out)}\n`);
}
