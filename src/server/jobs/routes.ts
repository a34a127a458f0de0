import type { FastifyInstance } from 'fastify';
import { publicUrlOf } from '../../blob/public-url.js';
import { AdsmithError } from '../../errors/catalogue.js';
import type { JobRecord, Org } from '../../storage/types.js';
import { sendError } from '../http/errors.js';
import { authenticate, type ServerContext } from '../context.js';
import { jobStatus, webhookPayload } from '../contract/views.js';

async function ownJob(ctx: ServerContext, org: Org, id: string): Promise<JobRecord> {
  const job = await ctx.store.getJob(id);
  // Another organisation's job answers exactly like an unknown one.
  if (!job || job.orgId !== org.id) throw new AdsmithError('ADS_NOT_FOUND', { what: `Job ${JSON.stringify(id)}` });
  return job;
}

/** Result URLs (no auth: unguessable tokens), job status, progress events, cancel. */
export function registerJobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Params: { file: string } }>('/v1/results/:file', async (req, reply) => {
    // Results go into <img> tags, ad platforms and canvases on other origins.
    void reply.header('access-control-allow-origin', '*');
    const token = req.params.file.replace(/\.(png|jpg|jpeg|webp)$/i, '');
    const wellFormed = /^[A-Za-z0-9_-]{22,64}$/.test(token);
    const scene = wellFormed ? await ctx.store.getSceneByToken(token) : null;
    if (!scene) {
      // An editor save (a scene revision) has a result URL of its own; the job's original keeps its image.
      const rev = wellFormed ? await ctx.store.getSceneRevisionByFile(req.params.file) : null;
      const bytes = rev ? await ctx.blob.get(rev.blobKey) : null;
      if (!rev || !bytes) throw new AdsmithError('ADS_NOT_FOUND', { what: 'This result' });
      void reply.header('etag', rev.etag).header('cache-control', 'public, max-age=31536000, immutable').type(rev.mimeType);
      if (req.headers['if-none-match'] === rev.etag) return reply.code(304).send();
      return reply.code(200).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    switch (scene.status) {
      case 'pending':
      case 'rendering':
        return reply
          .code(202)
          .header('retry-after', '1')
          .header('cache-control', 'no-store')
          .send({ status: scene.status, message: 'The scene is being rendered. Retry this URL after the Retry-After seconds.' });
      case 'done':
      case 'moderated': {
        const etag = scene.etag ?? '';
        void reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
        void reply.type(scene.mimeType ?? 'image/png');
        if (scene.status === 'moderated') void reply.header('x-adsmith-moderated', 'true');
        if (req.headers['if-none-match'] === etag && etag) return reply.code(304).send();
        // With ADSMITH_S3_PUBLIC_URL the bytes come from the bucket or its CDN; clients keep this URL. A moderated
        // scene is answered here, with its header. The redirect is cached for a day, not for ever: the public
        // URL may change.
        const publicUrl = scene.status === 'done' && scene.blobKey ? publicUrlOf(ctx.blob.describe(), scene.blobKey) : null;
        if (publicUrl) return reply.code(302).removeHeader('content-type').header('location', publicUrl).header('cache-control', 'public, max-age=86400').send();
        const bytes = scene.blobKey ? await ctx.blob.get(scene.blobKey) : null;
        if (!bytes) throw new AdsmithError('ADS_SCENE_FAILED', { scene: scene.key, job: scene.jobId, reason: 'the stored image is missing.' });
        return reply.code(200).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      case 'cancelled':
        return sendError(reply, new AdsmithError('ADS_SCENE_CANCELLED', { scene: scene.key, job: scene.jobId }));
      case 'failed': {
        const status = scene.errorStatus && scene.errorStatus >= 400 ? scene.errorStatus : 500;
        return reply
          .code(status)
          .header('cache-control', 'no-store')
          .send({ error: { code: scene.errorCode ?? 'ADS_RENDER_FAILED', message: scene.errorMessage ?? 'Rendering failed.' }, scene: scene.key, request_id: scene.jobId });
      }
    }
  });

  app.get('/v1/jobs', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const jobs = await ctx.store.listJobs(org.id, 100);
    return jobs.map((j) => ({ request_id: j.id, status: j.status, template_id: j.templateRef.id, created_at: j.createdAt, updated_at: j.updatedAt }));
  });

  app.get<{ Params: { id: string } }>('/v1/jobs/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const job = await ownJob(ctx, org, req.params.id);
    void reply.header('cache-control', 'no-store');
    return jobStatus(ctx, job, await ctx.store.getScenes(job.id));
  });

  const cancel = async (orgJob: JobRecord) => {
    const ok = await ctx.store.cancelJob(orgJob.id);
    if (!ok) throw new AdsmithError('ADS_JOB_FINISHED', { job: orgJob.id, status: orgJob.status });
    const job = (await ctx.store.getJob(orgJob.id)) as JobRecord;
    ctx.events.publish({ jobId: job.id, type: 'final' });
    // Webhooks fire on every terminal state, cancelled included.
    if (job.webhookUrl) {
      await ctx.webhooks.enqueue(job, webhookPayload(ctx, job, await ctx.store.getScenes(job.id)));
    }
    return jobStatus(ctx, job, await ctx.store.getScenes(job.id));
  };
  app.post<{ Params: { id: string } }>('/v1/jobs/:id/cancel', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return cancel(await ownJob(ctx, org, req.params.id));
  });
  app.delete<{ Params: { id: string } }>('/v1/jobs/:id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return cancel(await ownJob(ctx, org, req.params.id));
  });

  // Server-Sent Events: `progress` on every scene change, `done` once final, then the stream ends.
  app.get<{ Params: { id: string } }>('/v1/jobs/:id/events', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const job = await ownJob(ctx, org, req.params.id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let closed = false;
    let sending = Promise.resolve();
    const send = (final: boolean) => {
      sending = sending.then(async () => {
        if (closed) return;
        const current = (await ctx.store.getJob(job.id)) as JobRecord;
        const body = jobStatus(ctx, current, await ctx.store.getScenes(job.id));
        const done = current.status !== 'IN_PROGRESS';
        res.write(`event: ${done ? 'done' : 'progress'}\ndata: ${JSON.stringify(body)}\n\n`);
        if (done || final) {
          closed = true;
          unsubscribe();
          clearInterval(keepAlive);
          res.end();
        }
      });
    };
    const unsubscribe = ctx.events.subscribe(job.id, () => send(false));
    const keepAlive = setInterval(() => !closed && res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => {
      closed = true;
      unsubscribe();
      clearInterval(keepAlive);
    });
    send(false);
  });
}
