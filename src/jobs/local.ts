import type { BlobStore } from '../blob/types.js';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride } from '../node/types.js';
import type { JobRecord, MetadataStore, PlanName } from '../storage/types.js';
import { AdsmithError, isAdsmithError } from '../errors/catalogue.js';
import type { WorkerPool } from './pool.js';
import { ownedFileIds } from './file-access.js';
import type { RenderReply, SmartImageTask } from './protocol.js';
import { storeResult } from './results.js';
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
   * The render threads write to this same blob store (an FsBlobStore whose root the pool was given): each
   * thread then stores its result and hashes its ETag, and the main thread only records the scene.
   */
  workersStoreResults?: boolean;
  log?: (msg: string, extra?: object) => void;
}

/** The embedded queue: claims pending scenes from the store and renders them on the worker pool. */
export class LocalQueue implements JobQueue {
  private running = false;
  private pumping = false;
  private again = false;
  private taskId = 0;
  private inFlight = new Set<Promise<void>>();
  /** Scenes claimed but still waiting (for their job's smart-image cut-out) before they take a render thread. */
  private reserved = 0;
  private finalListeners: Array<(job: JobRecord) => void> = [];
  /**
   * The uploaded files each running job may read, found once per job rather than once per scene (the answer
   * depends only on the job: its documents, request and organisation). Dropped when the job ends; bounded in
   * case a job ends by a path that does not pass through emitFinal.
   */
  private jobFiles = new Map<string, Promise<string[]>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: LocalQueueOptions) {}

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
    this.finalListeners.push(listener);
  }

  private emitFinal(job: JobRecord): void {
    this.jobFiles.delete(job.id);
    this.opts.events.publish({ jobId: job.id, type: 'final' });
    for (const l of this.finalListeners) {
      try {
        l(job);
      } catch (err) {
        this.opts.log?.('final listener failed', { err: String(err) });
      }
    }
  }

  private filesOf(job: JobRecord): Promise<string[]> {
    let files = this.jobFiles.get(job.id);
    if (!files) {
      files = ownedFileIds(this.opts.store, job.orgId, [job.template, job.brand, job.request]);
      // A failed lookup is not remembered: the next scene asks again.
      files.catch(() => this.jobFiles.delete(job.id));
      this.jobFiles.set(job.id, files);
      if (this.jobFiles.size > 256) this.jobFiles.delete(this.jobFiles.keys().next().value!);
    }
    return files;
  }

  notify(_jobId: string): void {
    if (!this.running || !this.opts.pool) return;
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
    if (!pool) return;
    while (this.running && pool.idle - this.reserved > 0) {
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
      const p = this.renderOne(job, scene.index).finally(() => {
        this.inFlight.delete(p);
        this.notify('');
      });
      this.inFlight.add(p);
    }
  }

  /** The job's smart image with its cut-out made, or an error reply that fails the scene. */
  private async smartImageOf(job: JobRecord, taskId: number): Promise<SmartImageTask | null | Extract<RenderReply, { type: 'error' }>> {
    if (!(job.request as { smart_image?: unknown }).smart_image) return null;
    try {
      if (!this.opts.smartImage) throw new AdsmithError('ADS_MODEL_UNAVAILABLE', { feature: 'Smart image', detail: 'this node has no smart-image stage' });
      return await this.opts.smartImage.prepare(job);
    } catch (err) {
      return errorReply(taskId, err);
    }
  }

  /** Output moderation of a rendered scene: the reply, marked moderated when flagged, or an error reply when it could not be checked. */
  private async moderated(reply: Extract<RenderReply, { type: 'done' }>): Promise<RenderReply> {
    try {
      if (!this.opts.moderateOutput) throw new AdsmithError('ADS_MODEL_UNAVAILABLE', { feature: 'Content moderation', detail: 'this node has no output moderation' });
      const verdict = await this.opts.moderateOutput(reply.bytes, reply.mimeType);
      return { ...reply, moderated: reply.moderated || verdict.flagged, warnings: verdict.detail ? [...reply.warnings, verdict.detail] : reply.warnings };
    } catch (err) {
      // Never publish an unchecked ad for a request that asked for moderation.
      return errorReply(reply.taskId, err);
    }
  }

  private async renderOne(job: JobRecord, index: number): Promise<void> {
    const pool = this.opts.pool as WorkerPool;
    const req = job.request as { elements?: ElementOverride[]; content_moderation?: boolean };
    const taskId = ++this.taskId;
    let reply: RenderReply;
    let holding = true;
    try {
      const smart = await this.smartImageOf(job, taskId);
      if (smart && 'type' in smart) {
        reply = smart;
      } else {
        // The uploaded files this job may read (its organisation's), before the slot is handed over.
        const files = await this.filesOf(job);
        // The claimed slot is given back just before the task takes it (same tick).
        this.reserved--;
        holding = false;
        reply = await pool.run({
          taskId,
          jobId: job.id,
          sceneIndex: index,
          template: job.template as TemplateDocument,
          brand: job.brand as BrandDocument | null,
          elements: req.elements ?? [],
          output: { format: job.output.format, scale: job.output.scale, ...(job.output.maxKb !== undefined ? { maxKb: job.output.maxKb } : {}) },
          smartImage: smart,
          contentModeration: req.content_moderation === true,
          files,
          storeResult: this.opts.workersStoreResults === true && req.content_moderation !== true,
        });
        // The thread is free now: hand it the next scene while this one's result is being stored.
        this.notify('');
      }
    } finally {
      if (holding) this.reserved--;
    }
    if (!this.running) return; // shutting down: the lease/orphan recovery re-renders it
    if (reply.type === 'done' && req.content_moderation === true) reply = await this.moderated(reply);
    try {
      let result;
      if (reply.type === 'done') {
        // A flagged ad is stored empty: its bytes are never served.
        const { blobKey, etag, size } = reply.stored ?? (await storeResult(this.opts.blob, job.id, index, reply.moderated ? new Uint8Array(0) : reply.bytes, reply.mimeType));
        result = await this.opts.store.finishScene(
          job.id,
          index,
          reply.moderated
            ? { status: 'moderated', blobKey, mimeType: reply.mimeType, etag, warnings: reply.warnings }
            : { status: 'done', blobKey, mimeType: reply.mimeType, etag, size, warnings: reply.warnings },
        );
      } else if (reply.code === 'ADS_WORKER_CRASHED') {
        // Put it back: claimScene counts attempts and gives up after maxAttempts.
        await this.releaseForRetry(job.id, index);
        return;
      } else {
        result = await this.opts.store.finishScene(job.id, index, { status: 'failed', errorCode: reply.code, errorStatus: reply.status, errorMessage: reply.message });
      }
      const scenes = await this.opts.store.getScenes(job.id);
      const s = scenes.find((x) => x.index === index);
      this.opts.events.publish({ jobId: job.id, type: 'scene', index, ...(s ? { status: s.status } : {}) });
      if (result.becameFinal) this.emitFinal(result.job);
    } catch (err) {
      this.opts.log?.('could not record a scene', { jobId: job.id, index, err: String(err) });
    }
  }

  private async releaseForRetry(jobId: string, index: number): Promise<void> {
    const finals = await this.opts.store.requeueScene(jobId, index, this.opts.maxAttempts ?? 3);
    if (finals) {
      const job = await this.opts.store.getJob(jobId);
      if (job) this.emitFinal(job);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await this.opts.pool?.close();
    await Promise.allSettled([...this.inFlight]);
  }
}

function errorReply(taskId: number, err: unknown): Extract<RenderReply, { type: 'error' }> {
  if (isAdsmithError(err)) return { type: 'error', taskId, code: err.code, status: err.status, message: err.message };
  const reason = err instanceof Error ? err.message : String(err);
  return { type: 'error', taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${reason}` };
}
