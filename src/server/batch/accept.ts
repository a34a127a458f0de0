import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import type { BatchRecord, NewBatchRow, Org } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { newJobOf, parseGenerateBody, prepareGenerate, saveCheckedInputs, type InputCache } from '../contract/generate.js';
import { canonicalJson, newId, sha256Hex } from '../../common/ids.js';
import { PLANS } from '../../common/plans.js';
import { batchError, parseBatchBody, parseRow, rowGenerateBody, sharedGenerateBody, type BatchBody } from './request.js';
import type { BatchSettings } from './settings.js';

export { loadBatchSettings, type BatchSettings } from './settings.js';

/** Runs `fn` over `items` with at most `limit` at a time, keeping order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export interface AcceptedBatch {
  batch: BatchRecord;
  created: boolean;
}

/**
 * Validates a batch and persists it with one job per valid row. The shared fields (template, brand, options,
 * defaults, webhook) are checked first and fail the whole request like generate; then every row is checked on
 * its own (schema, slots, image inputs, moderation) and an invalid row is stored refused with its error while
 * the others are accepted. Batch, rows and jobs are written in one transaction.
 */
export async function acceptBatch(ctx: ServerContext, org: Org, raw: unknown, idempotencyKey: string | null, settings: BatchSettings, requestId: string | null = null): Promise<AcceptedBatch> {
  const body: BatchBody = parseBatchBody(raw, settings.maxRows);
  const requestHash = sha256Hex(canonicalJson(body));
  if (idempotencyKey) {
    if (idempotencyKey.length > 200) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'Idempotency-Key header', problem: 'must be at most 200 characters.' });
    const existing = await ctx.store.findBatchByIdempotencyKey(org.id, idempotencyKey);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new AdsmithError('ADS_IDEMPOTENCY_MISMATCH', { key: idempotencyKey });
      return { batch: existing, created: false };
    }
  }
  const plan = PLANS[org.plan];
  const quotaError = new AdsmithError('ADS_QUOTA_EXCEEDED', { plan_label: plan.label, total: plan.totalRequests ?? 0 });
  if (plan.totalRequests !== null && org.requestCount >= plan.totalRequests) throw quotaError;

  // What every row shares is checked once: an error here is the whole request's.
  const cache: InputCache = new Map();
  const shared = sharedGenerateBody(body);
  const sharedOrigins = { elements: (body.defaults?.elements ?? []).map((_, k) => `defaults.elements[${k}]`), smartImage: 'defaults.smart_image' };
  try {
    const parsed = parseGenerateBody(shared);
    await prepareGenerate(ctx, org, parsed.body, parsed.requestHash, { inputCache: cache });
  } catch (err) {
    throw isAdsmithError(err) ? batchError(err, sharedOrigins) : err;
  }

  const batchId = newId('batch');
  const rows = await mapLimited(body.rows, settings.concurrency, async (rawRow, index): Promise<NewBatchRow> => {
    let origins = { elements: [] as string[], smartImage: `rows[${index}].smart_image` };
    // The key is kept even when the row is refused, so the caller can tell which of its rows it was.
    const rawKey = rawRow && typeof rawRow === 'object' ? (rawRow as { key?: unknown }).key : undefined;
    const key = typeof rawKey === 'string' && rawKey.length > 0 ? rawKey.slice(0, 200) : null;
    try {
      const row = parseRow(rawRow, index);
      const merged = rowGenerateBody(body, row, index);
      origins = merged.origins;
      const parsed = parseGenerateBody(merged.body);
      const prepared = await prepareGenerate(ctx, org, parsed.body, parsed.requestHash, { inputCache: cache });
      const jobId = newId('job');
      await saveCheckedInputs(ctx, jobId, prepared.inputs);
      return { index, key, job: newJobOf(prepared, jobId, org.id, null, requestId), error: null };
    } catch (err) {
      if (!isAdsmithError(err)) throw err;
      const named = batchError(err, origins);
      return { index, key, job: null, error: { code: named.code, message: named.message } };
    }
  });

  const { webhook_url: webhookUrl, rows: _rows, ...request } = body;
  void _rows;
  const res = await ctx.store.createBatch(
    { id: batchId, orgId: org.id, request, webhookUrl: webhookUrl ?? null, idempotencyKey, requestHash, rows },
    plan.totalRequests,
    { code: quotaError.code, message: quotaError.message },
  );
  if (!res.created && res.batch.requestHash !== requestHash) throw new AdsmithError('ADS_IDEMPOTENCY_MISMATCH', { key: idempotencyKey ?? '' });
  // Each row's job by id: a queue that enqueues jobs (BullMQ) needs them; a row refused by the quota has no job, and notifying its id does nothing.
  if (res.created) for (const row of rows) if (row.job) ctx.queue.notify(row.job.id);
  return res;
}
