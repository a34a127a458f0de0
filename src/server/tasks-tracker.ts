import type { JobRecord, TaskRecord } from '../storage/types.js';
import type { ServerContext } from './context.js';
import { queueDelivery } from './deliveries.js';
import { taskWebhookPayload } from './tasks-view.js';

/**
 * Task webhooks: when a task's job reaches a terminal state (completed,
 * failed or cancelled), its `webhook` gets the protocol's payload through the
 * persisted, signed, retried webhook deliveries. A delivery a crash lost is
 * queued on the next start.
 */
export class TaskTracker {
  constructor(
    private readonly ctx: ServerContext,
    private readonly log?: (msg: string, extra?: object) => void,
  ) {}

  attach(): void {
    this.ctx.queue.onFinal((job) => {
      void this.ctx.store
        .getTask(job.id)
        .then((task) => (task ? this.finalised(job, task) : null))
        .catch((err: unknown) => this.log?.('task webhook failed', { task: job.id, err: String(err) }));
    });
  }

  async finalised(job: JobRecord, task: TaskRecord): Promise<void> {
    if (!task.webhookUrl) return;
    const payload = taskWebhookPayload(this.ctx, job, await this.ctx.store.getScenes(job.id));
    await queueDelivery(this.ctx, { orgId: job.orgId, subjectId: job.id, url: task.webhookUrl, payload });
  }

  async recover(): Promise<void> {
    for (const { job, task } of await this.ctx.store.tasksMissingDelivery(1000)) await this.finalised(job, task);
  }
}
