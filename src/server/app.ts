import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import cors from '@fastify/cors';
import { openBlobStore, type BlobStoreDescriptor } from '../blob/descriptor.js';
import type { BlobStore } from '../blob/types.js';
import { AdsmithError, isAdsmithError } from '../errors/catalogue.js';
import { MemoryEventBus } from '../jobs/events.js';
import { LocalQueue, type LocalQueueOptions } from '../jobs/local.js';
import type { JobEventBus, JobQueue } from '../jobs/types.js';
import { WorkerPool } from '../jobs/pool.js';
import { createModelStages } from '../jobs/model-stages.js';
import { ownedFileIds } from '../jobs/file-access.js';
import { SqliteStore } from '../storage/sqlite.js';
import type { MetadataStore } from '../storage/types.js';
import type { ServerConfig } from './config.js';
import type { InputModerator, ServerContext } from './context.js';
import { registerBodyParsers } from './body-parsers.js';
import { loadDefaultEngine, type EngineBindings } from './engine.js';
import { MemoryRateLimiter, type RateLimiter } from './ratelimit.js';
import { registerAdsRoutes } from './routes-ads.js';
import { registerAppRoutes } from './routes-apps.js';
import { registerAssetRoutes } from './routes-assets.js';
import { registerBatchRoutes } from './routes-batch.js';
import { registerEngineRoutes } from './routes-engine.js';
import { loadBatchSettings, type BatchSettings } from './batch-accept.js';
import { effectiveLimits } from './limits.js';
import { registerJobRoutes } from './routes-jobs.js';
import { registerMiscRoutes } from './routes-misc.js';
import { registerWebRoutes } from './web.js';
import { webhookPayload } from './views.js';
import { WebhookDispatcher } from './webhooks.js';
import { jobFinishedSubscriber } from './job-finished.js';

export interface AppDeps {
  store?: MetadataStore;
  blob?: BlobStore;
  /** Which blob store to open when `blob` is not given (default: fs under `<dataDir>/blobs`); every thread opens the same. */
  blobStore?: BlobStoreDescriptor;
  engine?: EngineBindings;
  /** The worker-thread script (tests pass a fake renderer). */
  workerScript?: URL;
  limiter?: RateLimiter;
  inputModerator?: InputModerator | null;
  /** Poll interval of the webhook dispatcher in ms. */
  webhookPollMs?: number;
  /** Batch limits (default: from ADSMITH_BATCH_* environment variables). */
  batch?: Partial<BatchSettings>;
  /** The job event bus (default: in-process; nodes of a scale-out deployment share RedisEventBus). */
  events?: JobEventBus;
  /** Builds the job queue from the server's parts (default: the embedded LocalQueue; BullQueue for scale-out). */
  queue?: (parts: LocalQueueOptions) => JobQueue;
}

/** Statuses whose body is a JSON string in the contract (403, 422); everything else answers `{error: {code, message}}`. */
const STRING_BODY_STATUSES = new Set([403, 422]);

export function sendError(reply: FastifyReply, err: AdsmithError): FastifyReply {
  void reply.code(err.status).header('cache-control', 'no-store').type('application/json; charset=utf-8');
  if (STRING_BODY_STATUSES.has(err.status)) return reply.send(JSON.stringify(err.message));
  return reply.send({ error: { code: err.code, message: err.message } });
}

/**
 * Fastify's own errors (body parsing, limits, media types) as catalogue errors; null for anything else.
 * `req` lets the answer name the numbers that apply (the route's body limit, the content type sent).
 */
export function mapFastifyError(err: FastifyError, req?: FastifyRequest, limits: { upload?: number } = {}): AdsmithError | null {
  const bodyLimit = req?.routeOptions?.bodyLimit ?? 'the configured number of';
  const upload = limits.upload !== undefined ? `${limits.upload} bytes` : 'the configured number of bytes';
  const contentType = String(req?.headers['content-type'] ?? 'of this body').split(';')[0]!.trim() || 'of this body';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AdsmithError('ADS_BODY_TOO_LARGE', { limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AdsmithError('ADS_UNSUPPORTED_MEDIA_TYPE', { type: contentType, expected: 'application/json' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AdsmithError('ADS_BODY_NOT_JSON', { reason: 'the body is empty' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AdsmithError('ADS_BODY_NOT_JSON', { reason: err.message });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AdsmithError('ADS_UPLOAD_TOO_LARGE', { limit: upload });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AdsmithError('ADS_UPLOAD_MISSING');
    default:
      break;
  }
  // secure-json-parse (Fastify's JSON parser, where a scope still uses it): valid JSON with a prototype key.
  if (/forbidden prototype property/.test(err.message)) return new AdsmithError('ADS_BODY_FORBIDDEN_KEY', { key: '"__proto__" or "constructor.prototype"', path: 'some level of the body' });
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return new AdsmithError('ADS_BODY_NOT_JSON', { reason: err.message });
  if (err.statusCode === 413) return new AdsmithError('ADS_BODY_TOO_LARGE', { limit: bodyLimit });
  if (err.statusCode === 415) return new AdsmithError('ADS_UNSUPPORTED_MEDIA_TYPE', { type: contentType, expected: 'application/json' });
  return null;
}

/** ADSMITH_CORS_ORIGINS: unset or `*` → any origin; `none` → no CORS headers; else a comma list of origins. */
function corsOriginsOf(value: string | undefined): string | string[] | null {
  const v = (value ?? '*').trim();
  if (v === '' || v === '*') return '*';
  if (v.toLowerCase() === 'none') return null;
  return v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

/**
 * Builds the API server: Fastify app, metadata store, blob store, job queue on
 * worker threads, webhook dispatcher. Call `app.ready()` (tests use
 * `app.inject()`) or `app.listen()`; `app.close()` stops everything.
 */
export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<{ app: FastifyInstance; ctx: ServerContext }> {
  const store = deps.store ?? new SqliteStore(path.join(config.dataDir, 'adsmith.sqlite'));
  await store.migrate();
  const blob = deps.blob ?? (await openBlobStore(deps.blobStore ?? { kind: 'fs', root: path.join(config.dataDir, 'blobs') }));
  const engine = deps.engine ?? (await loadDefaultEngine());
  const events = deps.events ?? new MemoryEventBus();
  const log = config.logger ? (msg: string, extra?: object) => console.error(JSON.stringify({ msg, ...extra })) : undefined;
  // Smart image and moderation: one models thread for the process (src/jobs/model-stages.ts).
  const models = createModelStages({
    settings: config.models,
    blob,
    publicUrl: config.publicUrl,
    allowPrivateUrls: config.allowPrivateUrls,
    ownedFiles: (job) => ownedFileIds(store, job.orgId, [job.request]),
  });
  const pool =
    config.workers > 0
      ? new WorkerPool(deps.workerScript ?? new URL('../jobs/render-worker.ts', import.meta.url), config.workers, {
          allowPrivateUrls: config.allowPrivateUrls,
          publicUrl: config.publicUrl,
          blob: blob.describe(),
          smartImage: config.models.smartImage,
        })
      : null;
  const queueParts: LocalQueueOptions = {
    store,
    blob,
    events,
    pool,
    smartImage: models.smartImage,
    moderateOutput: models.moderateOutputs,
    orgCap: (plan) => effectiveLimits(config.limits, plan).orgScenes.value,
    // The threads opened this same store (its descriptor): they write their results themselves.
    workersStoreResults: true,
    ...(log ? { log } : {}),
  };
  const queue = deps.queue ? deps.queue(queueParts) : new LocalQueue(queueParts);
  const webhooks = new WebhookDispatcher({
    store,
    backoff: config.webhookBackoff,
    timeoutMs: config.webhookTimeoutMs,
    allowPrivateUrls: config.allowPrivateUrls,
    ...(deps.webhookPollMs !== undefined ? { pollMs: deps.webhookPollMs } : {}),
    ...(log ? { log } : {}),
  });
  const editorKey = await store.initSetting('editor_link_key', randomBytes(32).toString('hex'));
  const ctx: ServerContext = {
    config,
    store,
    blob,
    queue,
    events,
    engine,
    webhooks,
    limiter: deps.limiter ?? new MemoryRateLimiter(),
    editorKey,
    inputModerator: deps.inputModerator !== undefined ? deps.inputModerator : models.moderateInputs,
    models: models.host,
  };

  // Every job the queue makes final, once: its webhook, its batch's settlement, or its task's webhook.
  queue.onFinal(jobFinishedSubscriber(ctx, log));

  const app = Fastify({
    logger: config.logger ? { level: 'info' } : false,
    bodyLimit: config.bodyLimit,
    trustProxy: true,
    return503OnClosing: true,
    ajv: { customOptions: { strict: false } },
  });
  app.decorateRequest('org', null);
  registerBodyParsers(app);
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 10, parts: 12 }, throwFileSizeLimit: true });
  // Browsers call the API from other origins (adsmith/client); auth is a token, never a cookie, so any origin is safe by default.
  const corsOrigins = corsOriginsOf(process.env['ADSMITH_CORS_ORIGINS']);
  if (corsOrigins !== null) {
    await app.register(cors, {
      origin: corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      exposedHeaders: ['retry-after', 'idempotent-replayed', 'location', 'etag', 'x-adsmith-moderated'],
      maxAge: 600,
    });
    // Streaming routes hijack the reply and write their own head: copy the CORS headers onto the raw response too.
    app.addHook('onRequest', async (_req, reply) => {
      for (const [name, value] of Object.entries(reply.getHeaders())) if (name.startsWith('access-control-') && value !== undefined) reply.raw.setHeader(name, value);
    });
  }

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAdsmithError(err)) return sendError(reply, err);
    const mapped = mapFastifyError(err, req, { upload: config.uploadLimit });
    if (mapped) return sendError(reply, mapped);
    const reference = req.id;
    req.log?.error({ err }, 'unhandled error');
    if (!config.logger) console.error(`[adsmith] unhandled error (reference ${reference}):`, err);
    return sendError(reply, new AdsmithError('ADS_INTERNAL', { reference }));
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new AdsmithError('ADS_ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0] ?? '' })));

  registerAdsRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerAssetRoutes(app, ctx);
  registerMiscRoutes(app, ctx);
  registerBatchRoutes(app, ctx, { ...loadBatchSettings(process.env), ...deps.batch });
  registerAppRoutes(app, ctx);
  registerEngineRoutes(app, ctx);
  await registerWebRoutes(app);

  app.addHook('onReady', async () => {
    // In the background: a model that fails to load leaves the server up, degraded (see /healthz).
    if (config.models.preload) models.host.preload(config.workers > 0 ? ['smart_image', 'image_moderation'] : ['image_moderation']);
    // An unreachable S3 endpoint or a missing bucket stops the start with an error that names it.
    await blob.check?.();
    // Temp files of blob writes a kill -9 cut short (fs); only those older than this process, so no write of ours.
    const removed = (await blob.removeStaleTemps?.(new Date(Date.now() - process.uptime() * 1000))) ?? 0;
    if (removed) log?.('removed temp files an interrupted run left in the blob store', { removed });
    await queue.start();
    // Terminal states whose webhook was not recorded before a crash get it now.
    for (const job of await store.jobsMissingDelivery(1000)) {
      await webhooks.enqueue(job, webhookPayload(ctx, job, await store.getScenes(job.id)));
    }
    webhooks.start();
  });
  app.addHook('onClose', async () => {
    await webhooks.stop();
    await queue.stop();
    await models.host.close();
    await store.close();
  });
  return { app, ctx };
}
