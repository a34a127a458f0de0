import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { BlobStore } from '../blob/types.js';
import { interruptedOutcome, type JobRecord, type MetadataStore, type PlanName } from '../storage/types.js';
import { FinalJobs } from './final-jobs.js';
import { OrgSlots } from './org-slots.js';
import type { WorkerPool } from './pool.js';
import { bullConnection, connectRedis, type RedisClient } from './redis-client.js';
import { SceneRunner, type SceneObservation } from './scene-runner.js';
import type { OutputModerator, SmartImagePreparer } from './seams.js';
import type { JobEventBus, JobQueue } from './types.js';

export interface BullQueueOptions {
  store: MetadataStore;
  blob: BlobStore;
  events: JobEventBus;
  /** redis://host:port of the deployment's Redis. */
  redisUrl: string;
  /** Key prefix of every Redis key of this deployment (BullMQ's `prefix`); tests take one each. */
  prefix: string;
  /** null: a producer only (an API node): `notify` enqueues the job's scenes and nothing renders here. */
  pool: WorkerPool | null;
  /** A scene is given up after this many interrupted or crashed renders; also BullMQ's `attempts`. */
  maxAttempts?: number;
  /** First retry delay after a render thread crashed, doubled for each further attempt (BullMQ's exponential backoff). */
  backoffMs?: number;
  /** The store lease written on a claimed scene (informational here: BullMQ's job lock decides who renders). */
  leaseMs?: number;
  /** BullMQ's job lock: a worker that stops renewing it for this long has stalled, and its scene goes to another worker. */
  lockDurationMs?: number;
  /** How often each worker looks for stalled scenes. */
  stalledIntervalMs?: number;
  /** Most scenes an organisation on this plan may have rendering at once across every worker node. */
  orgCap?: (plan: PlanName) => number;
  /** How long a scene of an organisation at its cap waits before it is tried again. */
  capRetryMs?: number;
  smartImage?: SmartImagePreparer;
  moderateOutput?: OutputModerator;
  /** The render threads write results to this same blob store (see SceneRunnerOptions). */
  workersStoreResults?: boolean;
  /** Start-up waits this long for Redis before failing with an error that names it. */
  connectTimeoutMs?: number;
  /** How often a job whose enqueue failed is tried again (the job is accepted: it must reach the queue). */
  retryEnqueueMs?: number;
  /**
   * How often the store is swept for claimable scenes (pending, or rendering with an expired lease) to add them to
   * BullMQ again; also done at once whenever the Redis connection comes back. Redis without persistence forgets
   * its queue when it restarts; the store does not. Scenes BullMQ still holds are not added twice (job ids).
   */
  sweepMs?: number;
  /** Hears of every scene outcome this worker node records (the app's /metrics). */
  observe?: (observation: SceneObservation) => void;
  log?: (msg: string, extra?: object) => void;
}

/** What a BullMQ job carries: the scene to render. The store holds everything else. */
interface SceneJobData {
  jobId: string;
  index: number;
  orgId: string;
}

const QUEUE_NAME = 'scenes';
/** How long a worker trusts the plan it read for an organisation's cap (capOf). */
const PLAN_TTL_MS = 5000;
/** Most scenes one sweep offers to BullMQ again (the oldest jobs'; the next sweep takes the rest). */
const SWEEP_LIMIT = 1000;
/** BullMQ priorities (1 is taken first): paying plans before free. */
const PLAN_PRIORITY: Record<PlanName, number> = { unlimited: 1, pro: 1, free: 2 };

/** BullMQ's job id of a scene: one queue job per scene, so enqueuing a job twice adds nothing (ids may not contain ':'). */
export const sceneJobId = (jobId: string, index: number): string => `${jobId}.${index}`;

/**
 * The job queue on BullMQ (Redis), for API and worker nodes on separate machines. The metadata store stays
 * the truth about scenes (pending, rendering, final; attempts); BullMQ carries one queue job per scene and
 * decides which worker renders it: priority by plan, retries with exponential backoff when a render thread
 * crashes, and stalled-job recovery (a worker that dies stops renewing its lock; its scene goes back and
 * another worker takes it). A worker claims the very scene in the store before rendering (claimSceneAt,
 * which counts the attempt and gives the scene up after maxAttempts), and a scene already final is skipped,
 * so no scene is recorded twice and no job is announced final twice. Organisations are held to their cap of
 * scenes rendering at once by Redis slots (org-slots.ts); a scene over the cap waits `capRetryMs` and is
 * tried again. onFinal listeners run on the node that made the job final.
 */
export class BullQueue implements JobQueue {
  private queue: Queue | null = null;
  private worker: Worker<SceneJobData> | null = null;
  private redis: RedisClient | null = null;
  private slots: OrgSlots | null = null;
  private readonly finals: FinalJobs;
  private readonly runner: SceneRunner | null;
  private readonly maxAttempts: number;
  private readonly lockDurationMs: number;
  private pending = new Set<Promise<void>>();
  /** Jobs whose enqueue failed (store or Redis unavailable a moment): tried again every `retryEnqueueMs`. */
  private unsent = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  /** Plans of the organisations whose scenes this worker took lately (capOf). */
  private plans = new Map<string, { plan: Promise<PlanName>; until: number }>();

  constructor(private readonly opts: BullQueueOptions) {
    this.maxAttempts = opts.maxAttempts ?? 3;
    this.lockDurationMs = opts.lockDurationMs ?? 30_000;
    this.finals = new FinalJobs(opts.events, opts.log);
    this.runner = opts.pool
      ? new SceneRunner({
          store: opts.store,
          blob: opts.blob,
          events: opts.events,
          pool: opts.pool,
          maxAttempts: this.maxAttempts,
          ...(opts.smartImage ? { smartImage: opts.smartImage } : {}),
          ...(opts.moderateOutput ? { moderateOutput: opts.moderateOutput } : {}),
          ...(opts.workersStoreResults !== undefined ? { workersStoreResults: opts.workersStoreResults } : {}),
          ...(opts.observe ? { observe: opts.observe } : {}),
          ...(opts.log ? { log: opts.log } : {}),
          onJobFinal: (job) => this.finals.emit(job),
        })
      : null;
  }

  /** Connects to Redis (an unreachable one is an error naming it) and, on a worker node, starts taking scenes. */
  async start(): Promise<void> {
    const connection = bullConnection(this.opts.redisUrl);
    // Our own connection first: it fails fast, with a clear message, where BullMQ would retry for ever.
    this.redis = await connectRedis(this.opts.redisUrl, { name: `${this.opts.prefix}:adsmith`, ...(this.opts.connectTimeoutMs !== undefined ? { timeoutMs: this.opts.connectTimeoutMs } : {}) });
    this.slots = new OrgSlots(this.redis, `${this.opts.prefix}:${QUEUE_NAME}`, this.lockDurationMs);
    this.queue = new Queue(QUEUE_NAME, { connection, prefix: this.opts.prefix });
    this.queue.on('error', (err) => this.opts.log?.('BullMQ queue error', { err: err.message }));
    await this.queue.waitUntilReady();
    this.retryTimer = setInterval(() => this.retryUnsent(), this.opts.retryEnqueueMs ?? 1000);
    this.retryTimer.unref();
    this.sweepTimer = setInterval(() => this.track(this.sweepQuietly('interval')), this.opts.sweepMs ?? 30_000);
    this.sweepTimer.unref();
    // 'ready' after the first connection: Redis came back (maybe empty, after a restart).
    this.redis.on('ready', () => this.track(this.sweepQuietly('Redis reconnected')));
    if (!this.opts.pool) return;
    this.worker = new Worker<SceneJobData>(QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix: this.opts.prefix,
      // As many scenes in hand as the pool holds (each thread one drawing and one queued behind it): while a thread
      // draws, the next scene is claimed, prepared and waiting at the thread, so the thread does not idle through
      // BullMQ's, the store's and Redis's round trips (with concurrency = threads it did, 28–39 % of the time).
      concurrency: this.opts.pool.capacity,
      lockDuration: this.lockDurationMs,
      stalledInterval: this.opts.stalledIntervalMs ?? this.lockDurationMs,
      // The store counts attempts (stalls included) and gives a scene up; BullMQ must not fail it first.
      maxStalledCount: this.maxAttempts + 1,
    });
    this.worker.on('error', (err) => this.opts.log?.('BullMQ worker error', { err: err.message }));
    this.worker.on('failed', (job) => {
      if (job) this.track(this.settleFailed(job));
    });
    await this.worker.waitUntilReady();
  }

  onFinal(listener: (job: JobRecord) => void): void {
    this.finals.add(listener);
  }

  notify(jobId: string): void {
    if (!jobId) return;
    this.track(
      this.enqueue(jobId).catch((err: unknown) => {
        this.unsent.add(jobId);
        this.opts.log?.('could not enqueue a job in BullMQ; trying again', { jobId, err: String(err) });
      }),
    );
  }

  private retryUnsent(): void {
    const ids = [...this.unsent];
    this.unsent.clear();
    for (const id of ids) this.notify(id);
  }

  /** Adds one BullMQ job per pending scene of `jobId` (a scene already queued is not added again). */
  async enqueue(jobId: string): Promise<void> {
    if (!this.queue) throw new Error('The BullMQ queue is not started: call start() first.');
    const job = await this.opts.store.getJob(jobId);
    if (!job || job.status !== 'IN_PROGRESS') return;
    const org = await this.opts.store.getOrg(job.orgId);
    const scenes = (await this.opts.store.getScenes(jobId)).filter((s) => s.status === 'pending' || s.status === 'rendering');
    await this.add(scenes.map((s) => ({ jobId, index: s.index, orgId: job.orgId })), PLAN_PRIORITY[org?.plan ?? 'free']);
  }

  /**
   * Offers BullMQ every claimable scene in the store (pending, or rendering with an expired lease) again; the ones
   * it still holds are left as they are (same job id). Returns how many scenes were offered. A scene rendering
   * under a live lease is not offered: its worker is still on it and records it in the store.
   */
  async sweep(): Promise<number> {
    if (!this.queue) throw new Error('The BullMQ queue is not started: call start() first.');
    // One sweep at a time per node: a reconnection during an interval's sweep waits for it rather than doubling it.
    this.sweeping ??= (async () => {
      try {
        const open = await this.opts.store.claimableScenes(SWEEP_LIMIT);
        const byOrg = new Map<string, SceneJobData[]>();
        for (const s of open) byOrg.set(s.orgId, [...(byOrg.get(s.orgId) ?? []), s]);
        for (const [orgId, scenes] of byOrg) {
          const org = await this.opts.store.getOrg(orgId);
          await this.add(scenes, PLAN_PRIORITY[org?.plan ?? 'free']);
        }
        return open.length;
      } finally {
        this.sweeping = null;
      }
    })();
    return this.sweeping;
  }

  private async sweepQuietly(why: string): Promise<void> {
    try {
      const offered = await this.sweep();
      if (offered && why !== 'interval') this.opts.log?.('open scenes offered to BullMQ again', { why, scenes: offered });
    } catch (err) {
      this.opts.log?.('could not sweep the store for scenes to enqueue; trying again', { why, err: String(err) });
    }
  }

  /** One BullMQ job per scene, id `<jobId>.<index>`: adding a scene BullMQ still holds changes nothing. */
  private async add(scenes: SceneJobData[], priority: number): Promise<void> {
    await (this.queue as Queue).addBulk(
      scenes.map((s) => ({
        name: 'scene',
        data: s,
        opts: {
          jobId: sceneJobId(s.jobId, s.index),
          priority,
          attempts: this.maxAttempts,
          backoff: { type: 'exponential', delay: this.opts.backoffMs ?? 1000 },
          removeOnComplete: true,
          removeOnFail: { age: 24 * 3600 },
        },
      })),
    );
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * The organisation's cap of scenes rendering at once. Its plan is read from the store at most once per
   * PLAN_TTL_MS per organisation rather than once per scene (a round trip to PostgreSQL on every scene of a
   * batch): a plan change reaches the caps within that time.
   */
  private async capOf(orgId: string): Promise<number> {
    if (!this.opts.orgCap) return Infinity;
    const now = Date.now();
    let known = this.plans.get(orgId);
    if (!known || known.until < now) {
      const plan = this.opts.store.getOrg(orgId).then((org) => org?.plan ?? 'free');
      known = { plan, until: now + PLAN_TTL_MS };
      // A failed read is not remembered: the next scene asks again.
      plan.catch(() => this.plans.delete(orgId));
      this.plans.set(orgId, known);
      if (this.plans.size > 1000) this.plans.delete(this.plans.keys().next().value!);
    }
    return this.opts.orgCap(await known.plan);
  }

  /** Renders one scene on this worker node (BullMQ's processor). Throwing hands the scene back for a retry. */
  private async process(bull: Job<SceneJobData>, token: string | undefined): Promise<void> {
    const runner = this.runner as SceneRunner;
    const slots = this.slots as OrgSlots;
    const { jobId, index, orgId } = bull.data;
    const holder = bull.id ?? sceneJobId(jobId, index);
    const cap = await this.capOf(orgId);
    if (cap !== Infinity && !(await slots.acquire(orgId, holder, cap))) {
      // The organisation has its cap rendering on some node: try again shortly, without spending an attempt.
      await bull.moveToDelayed(Date.now() + (this.opts.capRetryMs ?? 250), token);
      throw new DelayedError();
    }
    // Held slots expire unless renewed, so a dead worker's slots free themselves.
    const renew = cap === Infinity ? null : setInterval(() => void slots.acquire(orgId, holder, cap).catch(() => undefined), this.lockDurationMs / 3);
    try {
      const { claimed, becameFinal } = await this.opts.store.claimSceneAt(jobId, index, this.opts.leaseMs ?? this.lockDurationMs, this.maxAttempts);
      if (!claimed) {
        // Final already (done by an earlier holder, cancelled), or given up just now after maxAttempts.
        if (becameFinal) await this.announceFinal(jobId, index);
        return;
      }
      this.opts.events.publish({ jobId, type: 'scene', index, status: 'rendering' });
      const outcome = await runner.run(claimed.job, index);
      if (outcome === 'requeued') throw new Error(`The render thread stopped on scene ${index} of job ${jobId}; it is retried after a backoff.`);
      if (outcome === 'abandoned') throw new Error(`This worker stopped before scene ${index} of job ${jobId} was recorded.`);
    } finally {
      if (renew) clearInterval(renew);
      if (cap !== Infinity) await slots.release(orgId, holder).catch(() => undefined);
    }
  }

  /** A BullMQ job failed for good (attempts spent, or stalled too often): the store must not keep its scene open. */
  private async settleFailed(bull: Job<SceneJobData>): Promise<void> {
    try {
      if ((await bull.getState()) !== 'failed') return; // it will be retried
      const { jobId, index } = bull.data;
      const scene = (await this.opts.store.getScenes(jobId)).find((s) => s.index === index);
      if (!scene || (scene.status !== 'pending' && scene.status !== 'rendering')) return;
      const res = await this.opts.store.finishScene(jobId, index, interruptedOutcome(this.maxAttempts));
      this.opts.events.publish({ jobId, type: 'scene', index, status: 'failed' });
      if (res.becameFinal) this.finals.emit(res.job);
    } catch (err) {
      this.opts.log?.('could not record a failed BullMQ job', { id: bull.id, err: String(err) });
    }
  }

  private async announceFinal(jobId: string, index: number): Promise<void> {
    this.opts.events.publish({ jobId, type: 'scene', index, status: 'failed' });
    const job = await this.opts.store.getJob(jobId);
    if (job) {
      this.runner?.forget(jobId);
      this.finals.emit(job);
    }
  }

  /** Scenes waiting, delayed or rendering in BullMQ (all nodes). */
  async depth(): Promise<number> {
    if (!this.queue) return 0;
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  /**
   * Graceful stop: the worker takes no new scene and waits for the ones it is rendering to be recorded,
   * then the render threads and connections close. A node killed instead leaves its scenes to BullMQ's
   * stalled-job recovery on the other workers.
   */
  async stop(): Promise<void> {
    if (this.retryTimer) clearInterval(this.retryTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    // Their scenes stay pending in the store; another node's sweep enqueues them again.
    if (this.unsent.size) this.opts.log?.('jobs still not enqueued at stop', { jobs: [...this.unsent] });
    await this.worker?.close();
    await Promise.allSettled([...this.pending]);
    this.runner?.stop();
    await this.opts.pool?.close();
    await this.queue?.close();
    await this.redis?.quit().catch(() => undefined);
  }

  /** Removes every key of a deployment's queue from Redis (a deployment taken down; each test's own prefix). Stop its queues first. */
  static async obliterate(opts: { redisUrl: string; prefix: string }): Promise<void> {
    const redis = await connectRedis(opts.redisUrl, { name: `${opts.prefix}:obliterate` });
    const queue = new Queue(QUEUE_NAME, { connection: bullConnection(opts.redisUrl), prefix: opts.prefix });
    try {
      await queue.obliterate({ force: true });
      await redis.eval(`local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do n = n + redis.call('DEL', k) end return n`, 0, `${opts.prefix}:${QUEUE_NAME}:*`);
    } finally {
      await queue.close();
      await redis.quit();
    }
  }
}
