import type { FastifyInstance } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';
import type { BatchRecord, BatchRowState, Org } from '../../storage/types.js';
import { acceptBatch, type BatchSettings } from './accept.js';
import { BatchTracker } from './tracker.js';
import { batchAccepted, batchProgress, batchStatus, batchStatusUrl, rowStatus, rowView } from './views.js';
import { authenticate, type ServerContext } from '../context.js';
import { openFeed } from '../jobs/progress-feed.js';

async function ownBatch(ctx: ServerContext, org: Org, id: string): Promise<BatchRecord> {
  const batch = await ctx.store.getBatch(id);
  // Another organisation's batch answers exactly like an unknown one.
  if (!batch || batch.orgId !== org.id) throw new AdsmithError('ADS_NOT_FOUND', { what: `Batch ${JSON.stringify(id)}` });
  return batch;
}

/** What a client has seen of a row: a new value means the row changed. */
const rowSignature = (r: BatchRowState) => `${rowStatus(r)}:${r.scenesFinal}`;

/** POST /v1/ads/batch and the batch's status, events and cancel. */
export function registerBatchRoutes(app: FastifyInstance, ctx: ServerContext, settings: BatchSettings): void {
  const tracker = new BatchTracker(ctx);
  app.addHook('onReady', async () => tracker.recover());

  const view = async (batch: BatchRecord) => batchStatus(ctx, batch, await ctx.store.getBatchRows(batch.id), await ctx.store.getBatchScenes(batch.id));

  app.post('/v1/ads/batch', { bodyLimit: Math.max(settings.bodyLimit, ctx.config.bodyLimit) }, async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const keyHeader = req.headers['idempotency-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) ?? null;
    const { batch, created } = await acceptBatch(ctx, org, req.body, key, settings, req.id);
    if (!created) void reply.header('idempotent-replayed', 'true');
    const rows = await ctx.store.getBatchRows(batch.id);
    // Every row refused: the batch is final at once and its webhook is due.
    if (created && batch.status !== 'IN_PROGRESS') await tracker.finalised(batch);
    return reply.code(202).header('location', batchStatusUrl(ctx, batch.id)).header('cache-control', 'no-store').send(batchAccepted(ctx, batch, rows));
  });

  app.get('/v1/ads/batch', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const batches = await ctx.store.listBatches(org.id, 100);
    return batches.map((b) => ({ batch_id: b.id, status: b.status, status_url: batchStatusUrl(ctx, b.id), rows_total: b.rowsTotal, created_at: b.createdAt, updated_at: b.updatedAt }));
  });

  app.get<{ Params: { id: string } }>('/v1/ads/batch/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const batch = await ownBatch(ctx, org, req.params.id);
    // A row job cancelled on its own (POST /v1/jobs/{id}/cancel) finishes no scene: settle on read as well.
    const current = batch.status === 'IN_PROGRESS' ? ((await tracker.settle(batch.id)) ?? batch) : batch;
    void reply.header('cache-control', 'no-store');
    return view(current);
  });

  const cancel = async (batch: BatchRecord) => {
    const res = await ctx.store.cancelBatch(batch.id);
    if (!res) throw new AdsmithError('ADS_BATCH_FINISHED', { batch: batch.id, status: (await ctx.store.getBatch(batch.id))?.status ?? batch.status });
    for (const jobId of res.cancelledJobs) ctx.events.publish({ jobId, type: 'final' });
    await tracker.finalised(res.batch);
    return view(res.batch);
  };
  app.post<{ Params: { id: string } }>('/v1/ads/batch/:id/cancel', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return cancel(await ownBatch(ctx, org, req.params.id));
  });
  app.delete<{ Params: { id: string } }>('/v1/ads/batch/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return cancel(await ownBatch(ctx, org, req.params.id));
  });

  // Server-Sent Events: `progress` with the counts and the rows that changed since the last message, `done` at the end.
  app.get<{ Params: { id: string } }>('/v1/ads/batch/:id/events', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const batch = await ownBatch(ctx, org, req.params.id);
    const rowJobs = (await ctx.store.getBatchRows(batch.id)).flatMap((r) => (r.jobId ? [r.jobId] : []));
    const seen = new Map<number, string>();
    reply.hijack();
    openFeed(reply.raw, {
      events: ctx.events,
      keys: [batch.id, ...rowJobs],
      contentType: 'text/event-stream; charset=utf-8',
      keepAlive: ': keep-alive\n\n',
      // A batch changes many times a second; four messages a second are plenty for a progress display.
      coalesceMs: 250,
      next: async () => {
        const current = (await tracker.settle(batch.id)) ?? batch;
        const rows = await ctx.store.getBatchRows(batch.id);
        const changed = rows.filter((r) => seen.get(r.index) !== rowSignature(r));
        const done = current.status !== 'IN_PROGRESS';
        if (!changed.length && !done && seen.size) return { chunk: null, done };
        for (const r of changed) seen.set(r.index, rowSignature(r));
        // Scene lists only for the rows that just became final (their `result`), not the whole batch on every message.
        const views = await Promise.all(changed.map(async (r) => rowView(ctx, r, r.jobId && r.jobStatus !== 'IN_PROGRESS' ? await ctx.store.getScenes(r.jobId) : undefined)));
        const progress = batchProgress(rows);
        const data = { batch_id: batch.id, status: current.status, ...progress, progress, rows: views };
        return { chunk: `event: ${done ? 'done' : 'progress'}\ndata: ${JSON.stringify(data)}\n\n`, done };
      },
    });
  });
}
