import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import cors from '@fastify/cors';
import { openBlobStore, type BlobStoreDescriptor } from '../blob/descriptor.js';
import type { BlobStore } from '../blob/types.js';
import { AdsmithError, isAdsmithError } from '../errors/catalogue.js';
import { BullQueue } from '../jobs/bullmq.js';
import { MemoryEventBus } from '../jobs/events.js';
import { RedisEventBus } from '../jobs/redis-events.js';
import { LocalQueue, type LocalQueueOptions } from '../jobs/local.js';
import type { JobEventBus, JobQueue } from '../jobs/types.js';
import { WorkerPool } from '../jobs/pool.js';
import { createModelStages } from '../jobs/model-stages.js';
import { ownedFileIds } from '../jobs/file-access.js';
import { openMetadataStore } from '../storage/open.js';
import { isDatabaseUnavailable } from '../storage/postgres-errors.js';
import type { MetadataStore } from '../storage/types.js';
import type { ServerConfig } from './config.js';
import type { InputModerator, ServerContext } from './context.js';
import { registerBodyParsers } from './http/body-parsers.js';
import { loadDefaultEngine, type EngineBindings } from './engine/bindings.js';
import { MemoryRateLimiter, type RateLimiter } from './http/ratelimit.js';
import { registerAdsRoutes } from './contract/routes.js';
import { registerAppRoutes } from './tasks/routes.js';
import { registerAssetRoutes } from './assets/routes.js';
import { registerBatchRoutes } from './batch/routes.js';
import { registerEngineRoutes } from './engine/routes.js';
import type { BatchSettings } from './batch/accept.js';
import { effectiveLimits } from './contract/limits.js';
import { registerJobRoutes } from './jobs/routes.js';
import { registerMiscRoutes } from './routes-misc.js';
import { registerWebRoutes } from './pages/web.js';
import { webhookPayload } from './contract/views.js';
import { WebhookDispatcher } from './jobs/webhooks.js';
import { redisDeliveryClaims } from './jobs/webhook-claims.js';
import { jobFinishedSubscriber } from './jobs/job-finished.js';
import { AppMetrics } from './ops/metrics.js';
import { mapFastifyError, sendError } from './http/errors.js';
import { registerMetricsRoutes } from './ops/metrics-routes.js';
import { registerRequestIdHeader, requestIdOf } from './http/request-id.js';

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
  /** Batch limits (default: config.batch, from the ADSMITH_BATCH_* variables). */
  batch?: Partial<BatchSettings>;
  /** The job event bus (default: RedisEventBus when config.redis is set, else in-process). */
  events?: JobEventBus;
  /** Builds the job queue from the server's parts (default: BullQueue when config.redis is set, else the embedded LocalQueue). */
  queue?: (parts: LocalQueueOptions) => JobQueue;
}

/** Seconds a client is told to wait (Retry-After) when the metadata database cannot be reached. */
const DATABASE_RETRY_AFTER_S = 5;

/**
 * Builds the server of one role (config.role): Fastify app, metadata store, blob store, job queue, event bus,
 * webhook dispatcher, each the embedded default or the shared service the configuration names (PostgreSQL,
 * BullMQ + Redis, S3). `api` renders nothing (the queue only enqueues, no render threads); `worker` renders and
 * delivers no webhooks (the API nodes send them: one sender per delivery) and is started with `app.ready()`,
 * without listening. Call `app.ready()` (tests use `app.inject()`) or `app.listen()`; `app.close()` stops
 * everything: the queue finishes or hands back its scenes, then the stores close.
 */
export async function buildApp(config: ServerConfig, deps: AppDeps = {}): Promise<{ app: FastifyInstance; ctx: ServerContext }> {
  const log = config.logger ? (msg: string, extra?: object) => console.error(JSON.stringify({ msg, ...extra })) : undefined;
  const store = deps.store ?? openMetadataStore({ dataDir: config.dataDir, ...(config.database.url ? { databaseUrl: config.database.url } : {}), ...(config.database.schema ? { schema: config.database.schema } : {}) });
  // An unreachable PostgreSQL fails here, with a message naming it and host:port/database.
  await store.migrate();
  const blob = deps.blob ?? (await openBlobStore(deps.blobStore ?? config.s3 ?? { kind: 'fs', root: path.join(config.dataDir, 'blobs') }));
  const engine = deps.engine ?? (await loadDefaultEngine());
  // An unreachable Redis fails here, naming it.
  const ownEvents = deps.events ? null : config.redis ? await RedisEventBus.connect(config.redis.url, config.redis.prefix, log ? { log } : {}) : null;
  const events = deps.events ?? ownEvents ?? new MemoryEventBus();
  const renders = config.role !== 'api' && config.workers > 0;
  // Smart image and moderation: one models thread for the process (src/jobs/model-stages.ts).
  const models = createModelStages({
    settings: config.models,
    blob,
    publicUrl: config.publicUrl,
    allowPrivateUrls: config.allowPrivateUrls,
    ownedFiles: (job) => ownedFileIds(store, job.orgId, [job.request]),
  });
  const pool =
    renders
      ? new WorkerPool(deps.workerScript ?? new URL('../jobs/render-worker.ts', import.meta.url), config.workers, {
          allowPrivateUrls: config.allowPrivateUrls,
          publicUrl: config.publicUrl,
          blob: blob.describe(),
          smartImage: config.models.smartImage,
          textRenderer: config.textRenderer,
        }, { debug: config.debugPool, perThread: config.tasksPerThread })
      : null;
  const metrics = new AppMetrics();
  const queueParts: LocalQueueOptions = {
    observe: metrics.observeScene,
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
  const redis = config.redis;
  const queue = deps.queue ? deps.queue(queueParts) : redis ? new BullQueue({ ...queueParts, redisUrl: redis.url, prefix: redis.prefix }) : new LocalQueue(queueParts);
  // One sender per delivery: a worker only records the deliveries of the jobs it finished; API nodes send them.
  const sendsWebhooks = config.role !== 'worker';
  // Several API nodes poll the same deliveries: each attempt is sent by the node that claims it in Redis.
  const claims = sendsWebhooks && redis ? await redisDeliveryClaims({ url: redis.url, prefix: redis.prefix, ttlMs: 2 * config.webhookTimeoutMs + 5000, node: randomBytes(6).toString('hex') }) : null;
  const webhooks = new WebhookDispatcher({
    store,
    send: sendsWebhooks,
    ...(claims ? { claim: claims.claim } : {}),
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
    genReqId: requestIdOf,
  });
  registerRequestIdHeader(app);
  app.decorateRequest('org', null);
  registerBodyParsers(app);
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 10, parts: 12 }, throwFileSizeLimit: true });
  // Browsers call the API from other origins (adsmith/client); auth is a token, never a cookie, so any origin is safe by default.
  const corsOrigins = config.corsOrigins;
  if (corsOrigins !== null) {
    await app.register(cors, {
      origin: corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
      exposedHeaders: ['retry-after', 'idempotent-replayed', 'location', 'etag', 'x-adsmith-moderated', 'x-request-id'],
      maxAge: 600,
    });
    // Streaming routes hijack the reply and write their own head: copy the CORS headers onto the raw response too.
    app.addHook('onRequest', async (_req, reply) => {
      for (const [name, value] of Object.entries(reply.getHeaders())) if (name.startsWith('access-control-') && value !== undefined) reply.raw.setHeader(name, value);
    });
  }

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isAdsmithError(err)) return sendError(reply, err);
    if (isDatabaseUnavailable(err)) {
      // PostgreSQL is down or restarting: tell the client to come back, without a stack trace or the server's address.
      req.log?.warn({ err }, 'metadata database unavailable');
      if (!config.logger) console.error(`[adsmith] metadata database unavailable (request ${req.id}): ${err.message}`);
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
      return sendError(reply, new AdsmithError('ADS_SERVER_BUSY', { reason: 'unable to reach its metadata database (PostgreSQL)' }));
    }
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
  registerMetricsRoutes(app, ctx, metrics);
  registerBatchRoutes(app, ctx, { ...config.batch, ...deps.batch });
  registerAppRoutes(app, ctx);
  registerEngineRoutes(app, ctx);
  await registerWebRoutes(app);

  app.addHook('onReady', async () => {
    // In the background: a model that fails to load leaves the server up, degraded (see /healthz).
    // An API node starts no models thread up front (it renders nothing; input moderation loads it on first use).
    if (config.models.preload && config.role !== 'api') models.host.preload(renders ? ['smart_image', 'image_moderation'] : ['image_moderation']);
    // An unreachable S3 endpoint or a missing bucket stops the start with an error that names it.
    await blob.check?.();
    // Temp files of blob writes a kill -9 cut short (fs); only those older than this process, so no write of ours.
    const removed = (await blob.removeStaleTemps?.(new Date(Date.now() - process.uptime() * 1000))) ?? 0;
    if (removed) log?.('removed temp files an interrupted run left in the blob store', { removed });
    await queue.start();
    if (sendsWebhooks) {
      // Terminal states whose webhook was not recorded before a crash get it now.
      for (const job of await store.jobsMissingDelivery(1000)) {
        // Several API nodes starting at once: one of them records it.
        if (claims && !(await claims.claimMissing(job.id))) continue;
        await webhooks.enqueue(job, webhookPayload(ctx, job, await store.getScenes(job.id)));
      }
      webhooks.start();
    }
  });
  app.addHook('onClose', async () => {
    await webhooks.stop();
    // Finishes the scenes in flight (BullMQ: the worker closes gracefully; what it cannot finish goes back).
    await queue.stop();
    await models.host.close();
    await ownEvents?.close();
    await claims?.close();
    await store.close();
  });
  return { app, ctx };
}
