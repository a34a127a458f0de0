import type { JobRecord, TaskRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { queueDelivery } from '../jobs/deliveries.js';
import { taskWebhookPayload } from './view.js';

/**
 * Task webhooks: when a task's job reaches a terminal state (completed,
 * failed or cancelled), its `webhook` gets the protocol's payload through the
 * persisted, signed, retried webhook deliveries (src/server/jobs/job-finished.ts calls
 * `finalised` for jobs the queue finished). A delivery a crash lost is
 * queued on the next start.
 */
export class TaskTracker {
  constructor(private readonly ctx: ServerContext) {}

  async finalised(job: JobRecord, task: TaskRecord): Promise<void> {
    if (!task.webhookUrl) return;
    const payload = taskWebhookPayload(this.ctx, job, await this.ctx.store.getScenes(job.id));
    await queueDelivery(this.ctx, { orgId: job.orgId, subjectId: job.id, url: task.webhookUrl, payload });
  }

  async recover(): Promise<void> {
    for (const { job, task } of await this.ctx.store.tasksMissingDelivery(1000)) await this.finalised(job, task);
  }
}
