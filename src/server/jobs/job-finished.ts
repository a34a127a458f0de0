import type { JobRecord } from '../../storage/types.js';
import { BatchTracker } from '../batch/tracker.js';
import type { ServerContext } from '../context.js';
import { TaskTracker } from '../tasks/tracker.js';
import { webhookPayload } from '../contract/views.js';

/**
 * The one subscriber to jobs the queue made final (registered once, in app.ts). A job is one of three kinds
 * to whoever asked for it, and each kind has its own webhook:
 *  - a plain generate job with a `webhook_url`: the job's payload;
 *  - a row of a batch: the batch settles, and once every row is final the batch's payload goes out;
 *  - a task of the hosted-app protocol: the task's payload.
 * Each path is persisted and idempotent where it can race (settleBatch decides once), so the queue announcing
 * a job once is enough. Cancellations answer through their own routes and do not pass here.
 */
export function jobFinishedSubscriber(ctx: ServerContext, log?: (msg: string, extra?: object) => void): (job: JobRecord) => void {
  const batches = new BatchTracker(ctx);
  const tasks = new TaskTracker(ctx);
  const routes: Array<[string, (job: JobRecord) => Promise<unknown>]> = [
    ['job webhook', async (job) => job.webhookUrl && ctx.webhooks.enqueue(job, webhookPayload(ctx, job, await ctx.store.getScenes(job.id)))],
    ['batch settle', async (job) => {
      const batchId = await ctx.store.findBatchOfJob(job.id);
      return batchId && batches.settle(batchId);
    }],
    ['task webhook', async (job) => {
      const task = await ctx.store.getTask(job.id);
      return task && tasks.finalised(job, task);
    }],
  ];
  return (job) => {
    // Independent paths: one that fails (and is logged) never holds up another.
    for (const [what, route] of routes) void route(job).catch((err: unknown) => log?.(`job finished: ${what} failed`, { job: job.id, err: String(err) }));
  };
}
