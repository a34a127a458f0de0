import type { FastifyInstance } from 'fastify';
import { AdsmithError } from '../errors/catalogue.js';
import type { BatchRecord, BatchRowState, Org } from '../storage/types.js';
import { acceptBatch, type BatchSettings } from './batch-accept.js';
import { BatchTracker } from './batch-tracker.js';
import { batchAccepted, batchProgress, batchStatus, batchStatusUrl, rowStatus, rowView } from './batch-views.js';
import { authenticate, type ServerContext } from './context.js';

/** How often an open SSE stream re-reads the batch even without events (cancellations elsewhere, other processes). */
const SSE_POLL_MS = 1000;
/** Events arriving within this window are sent as one progress message. */
const SSE_COALESCE_MS = 100;

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
  tracker.attach();
  app.addHook('onReady', async () => tracker.recover());

  const view = async (batch: BatchRecord) => batchStatus(ctx, batch, await ctx.store.getBatchRows(batch.id), await ctx.store.getBatchScenes(batch.id));

  app.post('/v1/ads/batch', { bodyLimit: Math.max(settings.bodyLimit, ctx.config.bodyLimit) }, async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const keyHeader = req.headers['idempotency-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) ?? null;
    const { batch, created } = await acceptBatch(ctx, org, req.body, key, settings);
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
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const seen = new Map<number, string>();
    let closed = false;
    let scheduled: NodeJS.Timeout | null = null;
    let sending = Promise.resolve();

    const flush = () => {
      scheduled = null;
      sending = sending
        .then(async () => {
          if (closed) return;
          const current = (await tracker.settle(batch.id)) ?? batch;
          const rows = await ctx.store.getBatchRows(batch.id);
          const changed = rows.filter((r) => seen.get(r.index) !== rowSignature(r));
          const done = current.status !== 'IN_PROGRESS';
          if (!changed.length && !done && seen.size) return;
          for (const r of changed) seen.set(r.index, rowSignature(r));
          const scenes = changed.some((r) => r.jobId && r.jobStatus !== 'IN_PROGRESS') ? await ctx.store.getBatchScenes(batch.id) : new Map();
          const progress = batchProgress(rows);
          const data = { batch_id: batch.id, status: current.status, ...progress, progress, rows: changed.map((r) => rowView(ctx, r, r.jobId ? scenes.get(r.jobId) : undefined)) };
          res.write(`event: ${done ? 'done' : 'progress'}\ndata: ${JSON.stringify(data)}\n\n`);
          if (done) stop(true);
        })
        .catch(() => stop(true));
    };
    const schedule = () => {
      if (!closed && !scheduled) scheduled = setTimeout(flush, SSE_COALESCE_MS);
    };
    const rowJobs = (await ctx.store.getBatchRows(batch.id)).flatMap((r) => (r.jobId ? [r.jobId] : []));
    const unsubscribers = [batch.id, ...rowJobs].map((id) => ctx.events.subscribe(id, schedule));
    const poll = setInterval(schedule, SSE_POLL_MS);
    const keepAlive = setInterval(() => !closed && res.write(': keep-alive\n\n'), 15_000);
    const stop = (end: boolean) => {
      if (closed) return;
      closed = true;
      for (const u of unsubscribers) u();
      clearInterval(poll);
      clearInterval(keepAlive);
      if (scheduled) clearTimeout(scheduled);
      if (end) res.end();
    };
    res.on('close', () => stop(false));
    flush();
  });
}
