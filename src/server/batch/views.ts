import type { BatchRecord, BatchRowState, SceneRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { sceneStatus, statusUrl } from '../contract/views.js';

export type RowStatus = 'pending' | 'in_progress' | 'completed' | 'failed' | 'cancelled';
const FINAL_ROW: ReadonlySet<RowStatus> = new Set(['completed', 'failed', 'cancelled']);

export function batchStatusUrl(ctx: ServerContext, batchId: string): string {
  return `${ctx.config.publicUrl}/v1/ads/batch/${batchId}`;
}

/** A row's status from its job: refused at acceptance or a job in ERROR → failed; a job a worker has started → in_progress. */
export function rowStatus(row: BatchRowState): RowStatus {
  switch (row.jobStatus) {
    case null:
      return 'failed';
    case 'COMPLETED':
      return 'completed';
    case 'ERROR':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'IN_PROGRESS':
      return row.scenesStarted > 0 ? 'in_progress' : 'pending';
  }
}

export function isFinalRow(status: RowStatus): boolean {
  return FINAL_ROW.has(status);
}

/** One row of the batch status. `result` (GET status_url's items, plus `key` and `<scene_key>: url`) once the row is final. */
export function rowView(ctx: ServerContext, row: BatchRowState, scenes: SceneRecord[] | undefined, withResult = true) {
  const status = rowStatus(row);
  const error =
    row.jobId === null
      ? { code: row.errorCode ?? 'ADS_BAD_REQUEST', message: row.errorMessage ?? 'The row was refused.' }
      : status === 'failed'
        ? { code: row.errorCode ?? 'ADS_RENDER_FAILED', message: [row.jobError, row.errorMessage ? `First failure: ${row.errorMessage}` : null].filter(Boolean).join(' ') }
        : null;
  return {
    index: row.index,
    ...(row.key !== null ? { key: row.key } : {}),
    status,
    ...(row.jobId !== null ? { request_id: row.jobId, status_url: statusUrl(ctx, row.jobId) } : {}),
    scenes_total: row.scenesTotal,
    scenes_done: row.scenesFinal,
    ...(withResult && row.jobId !== null && isFinalRow(status) && scenes
      ? {
          result: scenes.map((s) => {
            const item = sceneStatus(ctx, { id: row.jobId as string }, s);
            return { ...item, key: s.key, [s.key]: item.url };
          }),
        }
      : {}),
    ...(error ? { error } : {}),
  };
}

export function batchProgress(rows: BatchRowState[]) {
  const statuses = rows.map(rowStatus);
  const done = statuses.filter(isFinalRow).length;
  const scenesTotal = rows.reduce((n, r) => n + r.scenesTotal, 0);
  const scenesDone = rows.reduce((n, r) => n + r.scenesFinal, 0);
  return {
    rows_total: rows.length,
    /** Rows in a final state: completed, failed or cancelled. */
    rows_done: done,
    rows_failed: statuses.filter((s) => s === 'failed').length,
    rows_completed: statuses.filter((s) => s === 'completed').length,
    rows_cancelled: statuses.filter((s) => s === 'cancelled').length,
    scenes_total: scenesTotal,
    scenes_done: scenesDone,
    percent: scenesTotal ? Math.round((scenesDone / scenesTotal) * 100) : 100,
  };
}

/** The newest change among the batch and its rows' jobs. */
function lastUpdate(batch: BatchRecord, rows: BatchRowState[]): string {
  return rows.reduce((latest, r) => (r.updatedAt && r.updatedAt > latest ? r.updatedAt : latest), batch.updatedAt);
}

/** GET /v1/ads/batch/{id}. */
export function batchStatus(ctx: ServerContext, batch: BatchRecord, rows: BatchRowState[], scenes: Map<string, SceneRecord[]>) {
  const request = batch.request as { template_id?: unknown; brand_id?: unknown };
  return {
    batch_id: batch.id,
    status: batch.status,
    status_url: batchStatusUrl(ctx, batch.id),
    template_id: String(request.template_id ?? ''),
    brand_id: request.brand_id === undefined || request.brand_id === null ? null : String(request.brand_id),
    created_at: batch.createdAt,
    updated_at: lastUpdate(batch, rows),
    progress: batchProgress(rows),
    rows: rows.map((r) => rowView(ctx, r, r.jobId ? scenes.get(r.jobId) : undefined)),
  };
}

/** The 202 of POST /v1/ads/batch: counts, and the refused rows with their errors. */
export function batchAccepted(ctx: ServerContext, batch: BatchRecord, rows: BatchRowState[]) {
  const refused = rows.filter((r) => r.jobId === null);
  return {
    batch_id: batch.id,
    status_url: batchStatusUrl(ctx, batch.id),
    status: batch.status,
    rows_total: rows.length,
    rows_accepted: rows.length - refused.length,
    rows_failed: refused.length,
    failed_rows: refused.map((r) => rowView(ctx, r, undefined, false)),
  };
}

/** The webhook body on a batch's terminal state: rows without their scene lists (GET status_url has them). */
export function batchWebhookPayload(ctx: ServerContext, batch: BatchRecord, rows: BatchRowState[]) {
  return {
    id: batch.id,
    type: `batch.${batch.status.toLowerCase()}`,
    status: batch.status,
    status_url: batchStatusUrl(ctx, batch.id),
    progress: batchProgress(rows),
    rows: rows.map((r) => rowView(ctx, r, undefined, false)),
    created_at: batch.createdAt,
    updated_at: lastUpdate(batch, rows),
  };
}
