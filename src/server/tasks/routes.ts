import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import type { JobRecord, Org, SceneRecord, TaskRecord } from '../../storage/types.js';
import { mapFastifyError } from '../http/errors.js';
import { authenticate, type ServerContext } from '../context.js';
import { noteErrorCode } from '../ops/metrics.js';
import { openFeed } from '../jobs/progress-feed.js';
import { waitForFinal } from '../contract/routes.js';
import { acceptTask, parseRunBody } from './accept.js';
import { registerTaskFileRoutes } from './files.js';
import { TaskTracker } from './tracker.js';
import { envelope, HEARTBEAT_LINE, problemBody, TASK_STATUS, taskStatusName, taskView } from './view.js';

/**
 * The hosted-app task protocol, as the @inferencesh/sdk client speaks it, so
 * that code written for the hosted `bria/ads-generate` app runs against this
 * server by pointing `baseUrl` at it:
 *
 *   POST /apps/run            {app, input, webhook?} → {data: task}; a task is an Adsmith job
 *   GET  /tasks/{id}          {data: task}
 *   GET  /tasks/{id}/status   {data: {id, status}} (the SDK's polling mode)
 *   GET  /tasks/{id}/stream   NDJSON lines, each the whole task, until a terminal status (SSE with Accept: text/event-stream)
 *   POST /tasks/{id}/cancel
 *   POST /files, PUT upload_url, GET /files/{id}   the upload flow (tasks-files.ts)
 *
 * Auth is `Authorization: Bearer <Adsmith token>` (or api_token). Successes are
 * `{success, data, messages}` envelopes; errors are RFC 9457 problem+json whose
 * `detail` is the catalogue message, repeated as `message` (see problemBody).
 */

function sendProblem(reply: FastifyReply, err: AdsmithError): FastifyReply {
  noteErrorCode(reply, err.code); // counted by /metrics
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .type('application/problem+json; charset=utf-8')
    .send(problemBody(err.status, STATUS_CODES[err.status] ?? 'Error', err.code, err.message));
}

export function registerAppRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const tracker = new TaskTracker(ctx);
  app.addHook('onReady', async () => tracker.recover());

  const ownTask = async (org: Org, id: string): Promise<{ job: JobRecord; task: TaskRecord }> => {
    const job = /^[A-Za-z0-9_-]{1,80}$/.test(id) ? await ctx.store.getJob(id) : null;
    const task = job && job.orgId === org.id ? await ctx.store.getTask(job.id) : null;
    // Another organisation's task answers exactly like an unknown one.
    if (!job || !task) throw new AdsmithError('ADS_NOT_FOUND', { what: `Task ${JSON.stringify(id)}` });
    return { job, task };
  };
  const view = async (job: JobRecord, task: TaskRecord) => taskView(ctx, job, await ctx.store.getScenes(job.id), task);

  void app.register(async (scope) => {
    scope.setErrorHandler((err: FastifyError, req: FastifyRequest, reply) => {
      if (isAdsmithError(err)) return sendProblem(reply, err);
      const mapped = mapFastifyError(err, req, { upload: ctx.config.uploadLimit });
      if (mapped) return sendProblem(reply, mapped);
      console.error(`[adsmith] unhandled error in the task protocol (reference ${req.id}):`, err);
      return sendProblem(reply, new AdsmithError('ADS_INTERNAL', { reference: req.id }));
    });

    // The SDK sends `Content-Type: application/json` on bodiless POSTs (cancel): an empty JSON body is no body here.
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => (body === '' ? done(null, undefined) : parseJson(req, body as string, done)));

    scope.post('/apps/run', async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const run = parseRunBody(req.body);
      const { job, task } = await acceptTask(ctx, org, run, req.id);
      // `wait: true` in the body: answer once the task is final (bounded like generate's `sync`).
      const final = run.wait === true ? ((await waitForFinal(ctx, job.id, ctx.config.syncTimeout)) ?? job) : job;
      return reply.header('cache-control', 'no-store').send(envelope(await view(final, task)));
    });

    scope.get<{ Params: { id: string } }>('/tasks/:id', async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const { job, task } = await ownTask(org, req.params.id);
      return reply.header('cache-control', 'no-store').send(envelope(await view(job, task)));
    });

    scope.get<{ Params: { id: string } }>('/tasks/:id/status', async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const { job } = await ownTask(org, req.params.id);
      const name = taskStatusName(job, await ctx.store.getScenes(job.id));
      return reply.header('cache-control', 'no-store').send(envelope({ id: job.id, status: TASK_STATUS[name], status_text: name, updated_at: job.updatedAt }));
    });

    scope.post<{ Params: { id: string } }>('/tasks/:id/cancel', async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const { job, task } = await ownTask(org, req.params.id);
      if (!(await ctx.store.cancelJob(job.id))) {
        throw new AdsmithError('ADS_TASK_FINISHED', { task: job.id, status: taskStatusName(job, await ctx.store.getScenes(job.id)) });
      }
      ctx.events.publish({ jobId: job.id, type: 'final' });
      const cancelled = (await ctx.store.getJob(job.id)) as JobRecord;
      await tracker.finalised(cancelled, task);
      return reply.send(envelope(await view(cancelled, task)));
    });

    // Every change of the task as one line (NDJSON) or one event (SSE), ending at a terminal status. A line is the
    // bare task: the one shape both SDKs hand on as the task. The Python SDK's Inference._iter_ndjson unwraps `data`
    // only from `{data, fields}` and yields any other line as it is, so `{"data": task}` reached it without a status
    // and it never saw completion; the JS SDK's StreamableManager.start sends `{data, fields}` to onPartialData,
    // which TasksAPI.watchStream reports to onPartialUpdate, not onUpdate. A bare task is onData → onUpdate there.
    scope.get<{ Params: { id: string } }>('/tasks/:id/stream', async (req, reply) => {
      const org = await authenticate(ctx, req, reply);
      const { job, task } = await ownTask(org, req.params.id);
      const sse = /text\/event-stream/.test(String(req.headers.accept ?? ''));
      let last = '';
      reply.hijack();
      openFeed(reply.raw, {
        events: ctx.events,
        keys: [job.id],
        contentType: sse ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        keepAlive: sse ? ': keep-alive\n\n' : HEARTBEAT_LINE,
        next: async () => {
          const current = (await ctx.store.getJob(job.id)) as JobRecord;
          const scenes: SceneRecord[] = await ctx.store.getScenes(job.id);
          const body = taskView(ctx, current, scenes, task);
          const done = current.status !== 'IN_PROGRESS';
          const signature = `${body.status}:${body.scenes_done}`;
          if (signature === last && !done) return { chunk: null, done };
          last = signature;
          const json = JSON.stringify(body);
          return { chunk: sse ? `data: ${json}\n\n` : `${json}\n`, done };
        },
      });
    });

    registerTaskFileRoutes(scope, ctx);
  });
}
