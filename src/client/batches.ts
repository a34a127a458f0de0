import { eventJson, follow } from './follow.js';
import type { Http } from './http.js';
import type { BatchCreated, BatchInput, BatchProgress, BatchRow, BatchStatus, BatchUpdate, JobStatusName } from './types.js';

/** Uploads every image input of a batch (defaults and rows) and answers the body to send. */
export type ResolveBatch = (input: BatchInput) => Promise<BatchInput>;

function toUpdate(data: unknown, eventName: string): BatchUpdate | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as { progress?: BatchProgress; rows?: BatchRow[]; status?: JobStatusName } & Partial<BatchProgress>;
  // The event's data is the progress object plus the rows that changed; a status body nests progress.
  const progress = d.progress ?? (typeof d.rows_total === 'number' ? (d as BatchProgress) : null);
  if (!progress) return null;
  const status = d.status;
  return {
    progress,
    rows: Array.isArray(d.rows) ? d.rows : [],
    ...(status ? { status } : {}),
    done: eventName === 'done' || (status !== undefined && status !== 'IN_PROGRESS'),
  };
}

/** One template × many rows in one job (`POST /v1/ads/batch`): per-row results and errors, progress, cancel. */
export class Batches {
  constructor(
    private readonly http: Http,
    private readonly resolve: ResolveBatch,
  ) {}

  /**
   * Submits a batch. Image inputs of the defaults and of every row are uploaded
   * first (each distinct source once). Rows the server finds invalid come back
   * as failed rows; the valid ones are accepted. Pass `idempotencyKey` to make a
   * retry (or a re-run after a crash) attach to the same batch.
   */
  async create(input: BatchInput, opts: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<BatchCreated> {
    const body = await this.resolve(input);
    return this.http.json({
      method: 'POST',
      path: '/v1/ads/batch',
      json: body,
      signal: opts.signal,
      ...(opts.idempotencyKey ? { headers: { 'idempotency-key': opts.idempotencyKey }, idempotent: true } : {}),
    });
  }

  get(id: string, opts: { signal?: AbortSignal } = {}): Promise<BatchStatus> {
    return this.http.json({ method: 'GET', path: `/v1/ads/batch/${encodeURIComponent(id)}`, idempotent: true, signal: opts.signal });
  }

  /** Cancels the rows not yet final. */
  cancel(id: string): Promise<BatchStatus> {
    return this.http.json({ method: 'POST', path: `/v1/ads/batch/${encodeURIComponent(id)}/cancel`, idempotent: true });
  }

  /** Progress as it happens: each update has the counts and the rows that changed (all rows after a reconnect). */
  updates(id: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<BatchUpdate> {
    return follow<BatchUpdate>({
      http: this.http,
      eventsPath: `/v1/ads/batch/${encodeURIComponent(id)}/events`,
      parse: (event) => toUpdate(eventJson(event), event.event),
      poll: async () => toUpdate(await this.get(id, opts), 'poll') as BatchUpdate,
      isDone: (u) => u.done,
      fingerprint: (u) => JSON.stringify([u.status, u.progress, u.rows.map((r) => [r.index, r.status])]),
      signal: opts.signal,
    });
  }

  /** Resolves with the final status (every row completed, failed or cancelled). */
  async wait(id: string, opts: { onProgress?: (update: BatchUpdate) => void; signal?: AbortSignal } = {}): Promise<BatchStatus> {
    for await (const update of this.updates(id, opts.signal ? { signal: opts.signal } : {})) opts.onProgress?.(update);
    return this.get(id, opts.signal ? { signal: opts.signal } : {});
  }
}
