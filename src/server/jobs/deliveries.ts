import type { ServerContext } from '../context.js';
import { newId } from '../../common/ids.js';

/**
 * Queues a webhook POST for something other than a plain job (a batch, a task): a persisted delivery the
 * dispatcher signs, sends and retries like a job's. `subjectId` is what the delivery reports on; the
 * deliveries list shows it as `request_id`.
 */
export async function queueDelivery(ctx: ServerContext, d: { orgId: string; subjectId: string; url: string; payload: object }): Promise<void> {
  await ctx.store.addDelivery({ id: newId('msg'), orgId: d.orgId, jobId: d.subjectId, url: d.url, payload: JSON.stringify(d.payload), nextAttemptAt: Date.now() });
  void ctx.webhooks.tick();
}
