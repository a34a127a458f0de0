import type { BatchRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { queueDelivery } from '../jobs/deliveries.js';
import { batchWebhookPayload } from './views.js';

/**
 * Moves batches to their final state. A batch is final once every row's job
 * is; the store decides that atomically (`settleBatch`), so whichever caller
 * sees `becameFinal` first — a job finishing (src/server/jobs/job-finished.ts), a status read, the SSE stream,
 * start-up recovery — publishes the batch's final event and queues its webhook,
 * exactly once.
 */
export class BatchTracker {
  constructor(private readonly ctx: ServerContext) {}

  /** Settles the batch if every row is final; returns it as it now stands. */
  async settle(batchId: string): Promise<BatchRecord | null> {
    const res = await this.ctx.store.settleBatch(batchId);
    if (res?.becameFinal) await this.finalised(res.batch);
    return res?.batch ?? null;
  }

  /** A batch reached a terminal state (settled or cancelled): tell SSE listeners, queue the webhook. */
  async finalised(batch: BatchRecord): Promise<void> {
    this.ctx.events.publish({ jobId: batch.id, type: 'final' });
    await this.enqueueWebhook(batch);
  }

  private async enqueueWebhook(batch: BatchRecord): Promise<void> {
    if (!batch.webhookUrl) return;
    const payload = batchWebhookPayload(this.ctx, batch, await this.ctx.store.getBatchRows(batch.id));
    await queueDelivery(this.ctx, { orgId: batch.orgId, subjectId: batch.id, url: batch.webhookUrl, payload });
  }

  /** At start-up: settle batches whose rows finished while no process watched; queue webhooks a crash lost. */
  async recover(): Promise<void> {
    for (const batch of await this.ctx.store.openBatches(10_000)) await this.settle(batch.id);
    for (const batch of await this.ctx.store.batchesMissingDelivery(1000)) await this.enqueueWebhook(batch);
  }
}
