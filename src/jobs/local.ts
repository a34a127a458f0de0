import type { BlobStore } from '../blob/types.js';
import type { JobRecord, MetadataStore, PlanName } from '../storage/types.js';
import { FinalJobs } from './final-jobs.js';
import type { WorkerPool } from './pool.js';
import { SceneRunner, type SceneObservation } from './scene-runner.js';
import type { OutputModerator, SmartImagePreparer } from './seams.js';
import type { JobEventBus, JobQueue } from './types.js';

export interface LocalQueueOptions {
  store: MetadataStore;
  blob: BlobStore;
  events: JobEventBus;
  /** null: accept jobs but never render here (an API-only node). */
  pool: WorkerPool | null;
  /** A scene is given up after this many interrupted attempts (crash, kill -9). */
  maxAttempts?: number;
  /** Lease of a claimed scene; another claimer may take it after this. */
  leaseMs?: number;
  /** Makes a job's smart-image cut-out once before its scenes render; without it, smart_image jobs fail with 424. */
  smartImage?: SmartImagePreparer;
  /** Classifies every rendered scene of a job with content_moderation; without it, such scenes fail with 424. */
  moderateOutput?: OutputModerator;
  /** Most scenes an organisation on this plan may have rendering at once (ADSMITH_MAX_ORG_SCENES and the plan); organisations are served in turn either way. */
  orgCap?: (plan: PlanName) => number;
  /**
   * The render threads write to this same blob store (they open the descriptor the pool was given): each
   * thread then stores its result and hashes its ETag, and the main thread only records the scene.
   */
  workersStoreResults?: boolean;
  /** Hears of every scene outcome (the app's /metrics). */
  observe?: (observation: SceneObservation) => void;
  log?: (msg: string, extra?: object) => void;
}

/**
 * The embedded queue: claims pending scenes from the store (fairly between organisations, within each one's
 * cap) whenever the pool has a free place (a thread's current or queued task), and hands each to the scene runner.
 */
export class LocalQueue implements JobQueue {
  private running = false;
  private pumping = false;
  private again = false;
  private inFlight = new Set<Promise<void>>();
  /** Scenes claimed but still waiting (for their job's smart-image cut-out) before they take a render thread. */
  private reserved = 0;
  private finals: FinalJobs;
  private runner: SceneRunner | null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: LocalQueueOptions) {
    this.finals = new FinalJobs(opts.events, opts.log);
    this.runner = opts.pool
      ? new SceneRunner({
          store: opts.store,
          blob: opts.blob,
          events: opts.events,
          pool: opts.pool,
          maxAttempts: opts.maxAttempts ?? 3,
          ...(opts.smartImage ? { smartImage: opts.smartImage } : {}),
          ...(opts.moderateOutput ? { moderateOutput: opts.moderateOutput } : {}),
          ...(opts.workersStoreResults !== undefined ? { workersStoreResults: opts.workersStoreResults } : {}),
          ...(opts.observe ? { observe: opts.observe } : {}),
          ...(opts.log ? { log: opts.log } : {}),
          onJobFinal: (job) => this.finals.emit(job),
        })
      : null;
  }

  async start(): Promise<void> {
    const finals = await this.opts.store.requeueOrphans(this.opts.maxAttempts ?? 3);
    for (const id of finals) {
      const job = await this.opts.store.getJob(id);
      if (job) this.emitFinal(job);
    }
    this.running = true;
    // A slow safety net: picks up work a missed notify left behind.
    this.timer = setInterval(() => this.notify(''), 2000);
    this.timer.unref();
    this.notify('');
  }

  onFinal(listener: (job: JobRecord) => void): void {
    this.finals.add(listener);
  }

  /** A job became final outside the runner (a claim gave its last scene up, start-up recovery). */
  private emitFinal(job: JobRecord): void {
    this.runner?.forget(job.id);
    this.finals.emit(job);
  }

  notify(_jobId: string): void {
    if (!this.running || !this.runner) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.again) {
        this.again = false;
        this.notify('');
      }
    });
  }

  private async pump(): Promise<void> {
    const pool = this.opts.pool;
    const runner = this.runner;
    if (!pool || !runner) return;
    // Claims ahead: each thread holds a scene queued behind the one it draws (WorkerPool.perThread), so a thread
    // that finishes starts the next scene at once instead of waiting for this loop to record, claim and send.
    while (this.running && pool.free - this.reserved > 0) {
      const claimed = await this.opts.store.claimScene(
        this.opts.leaseMs ?? 5 * 60_000,
        this.opts.maxAttempts ?? 3,
        (jobId) => {
          void this.opts.store.getJob(jobId).then((job) => job && this.emitFinal(job));
        },
        { orgCap: this.opts.orgCap ?? (() => Infinity) },
      );
      if (!claimed) return;
      const { job, scene } = claimed;
      this.opts.events.publish({ jobId: job.id, type: 'scene', index: scene.index, status: 'rendering' });
      this.reserved++;
      let holding = true;
      const giveBack = () => {
        if (!holding) return;
        holding = false;
        this.reserved--;
      };
      const p = runner
        .run(job, scene.index, {
          // The reserved place is given back just before the scene takes its place in the pool (same tick).
          dispatched: giveBack,
          released: () => {
            giveBack();
            // A place in the pool is free: claim the next scene while this one is recorded.
            this.notify('');
          },
        })
        .then(() => undefined)
        .finally(() => {
          this.inFlight.delete(p);
          this.notify('');
        });
      this.inFlight.add(p);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.runner?.stop();
    if (this.timer) clearInterval(this.timer);
    await this.opts.pool?.close();
    await Promise.allSettled([...this.inFlight]);
  }
}
