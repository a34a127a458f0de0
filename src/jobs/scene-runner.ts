import type { BlobStore } from '../blob/types.js';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride, SceneTimings } from '../node/types.js';
import type { JobRecord, MetadataStore, SceneFinish, SceneOutcome } from '../storage/types.js';
import { AdsmithError, isAdsmithError } from '../errors/catalogue.js';
import { ownedFileIds } from './file-access.js';
import type { WorkerPool } from './pool.js';
import type { RenderReply, SmartImageTask } from './protocol.js';
import { storeResult } from './results.js';
import type { OutputModerator, SmartImagePreparer } from './seams.js';
import type { JobEventBus } from './types.js';

export interface SceneRunnerOptions {
  store: MetadataStore;
  blob: BlobStore;
  events: JobEventBus;
  pool: WorkerPool;
  /** A scene is given up after this many interrupted attempts (crash, kill -9). */
  maxAttempts: number;
  /** Makes a job's smart-image cut-out once before its scenes render; without it, smart_image jobs fail with 424. */
  smartImage?: SmartImagePreparer;
  /** Classifies every rendered scene of a job with content_moderation; without it, such scenes fail with 424. */
  moderateOutput?: OutputModerator;
  /**
   * The render threads write to this same blob store (they open the descriptor the pool was given): each
   * thread then stores its result and hashes its ETag, and the runner only records the scene.
   */
  workersStoreResults?: boolean;
  /** A job reached its final state through a scene this runner recorded (the queue announces it). */
  onJobFinal: (job: JobRecord) => void;
  /** Hears of every scene outcome this runner records or hands back (the /metrics counters and histograms). */
  observe?: (observation: SceneObservation) => void;
  /** Structured log: one line per scene outcome, with the job, the HTTP request that created it and the scene. */
  log?: (msg: string, extra?: object) => void;
}

/** What became of one render of a scene, for metrics. */
export interface SceneObservation {
  jobId: string;
  index: number;
  /** `requeued`: its render thread stopped, the scene is retried (or given up by the store after maxAttempts). */
  status: 'done' | 'moderated' | 'failed' | 'requeued';
  /** The error code of a failed or requeued scene. */
  errorCode?: string;
  /** Per-stage milliseconds, when a render thread drew the scene. */
  timings?: SceneTimings;
}

/** What became of a scene handed to `run`. */
export type SceneRunOutcome =
  /** Its outcome (done, moderated, failed) is recorded, or it was already final. */
  | 'recorded'
  /** Its render thread died; the scene is `pending` again for another attempt (the store counts attempts). */
  | 'requeued'
  /** The runner is stopping: the scene is left `rendering` for lease or orphan recovery to hand out again. */
  | 'abandoned';

/** Steps of a run the dispatcher may want to hear of (the local queue counts threads it reserved). */
export interface SceneRunHooks {
  /** Called in the same tick as the scene takes a render thread. */
  dispatched?(): void;
  /** Called once the scene needs no render thread any more (rendered, or failed before it took one). */
  released?(): void;
}

/**
 * The worker-side pipeline of one claimed scene, shared by every queue adapter: the job's smart-image
 * cut-out, the files the job may read, the render on a pool thread, output moderation, the stored result,
 * the scene's record in the store and its progress event. Which scene to run is the queue's business.
 */
export class SceneRunner {
  private taskId = 0;
  private stopping = false;
  /**
   * The uploaded files each running job may read, found once per job rather than once per scene (the answer
   * depends only on the job: its documents, request and organisation). Dropped when the job ends; bounded in
   * case a job ends by a path that does not pass through this runner.
   */
  private jobFiles = new Map<string, Promise<string[]>>();

  constructor(private readonly opts: SceneRunnerOptions) {}

  /** Stops recording results: scenes still rendering are left for recovery (see SceneRunOutcome). */
  stop(): void {
    this.stopping = true;
  }

  /** The job became final by some other path (a claim that gave a scene up, start-up recovery): forget its memo. */
  forget(jobId: string): void {
    this.jobFiles.delete(jobId);
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

  /** Renders scene `index` of `job`, which the caller has claimed in the store (it is `rendering`), and records it. */
  async run(job: JobRecord, index: number, hooks: SceneRunHooks = {}): Promise<SceneRunOutcome> {
    const req = job.request as { elements?: ElementOverride[]; content_moderation?: boolean };
    const taskId = ++this.taskId;
    let reply: RenderReply;
    let holding = true;
    try {
      const smart = await this.smartImageOf(job, taskId);
      if (smart && 'type' in smart) {
        reply = smart;
      } else {
        // The uploaded files this job may read (its organisation's), before the thread is taken.
        const files = await this.filesOf(job);
        hooks.dispatched?.();
        reply = await this.opts.pool.run({
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
        // The task has left the pool: the dispatcher may hand it the next scene while this one is recorded.
        holding = false;
        hooks.released?.();
      }
    } finally {
      if (holding) hooks.released?.();
    }
    if (this.stopping) return 'abandoned';
    const timings = reply.type === 'done' ? reply.timings : undefined;
    if (reply.type === 'done' && req.content_moderation === true) reply = await this.moderated(reply);
    this.report(job, index, reply, timings);
    try {
      let outcome: SceneOutcome;
      if (reply.type === 'done') {
        let stored;
        try {
          // A flagged ad is stored empty: its bytes are never served.
          stored = reply.stored ?? (await storeResult(this.opts.blob, job.id, index, reply.moderated ? new Uint8Array(0) : reply.bytes, reply.mimeType));
        } catch (err) {
          return await this.storeFailed(job, index, err);
        }
        const { blobKey, etag, size } = stored;
        outcome = reply.moderated
          ? { status: 'moderated', blobKey, mimeType: reply.mimeType, etag, warnings: reply.warnings }
          : { status: 'done', blobKey, mimeType: reply.mimeType, etag, size, warnings: reply.warnings };
      } else if (reply.code === 'ADS_WORKER_CRASHED') {
        // Put it back: the store counts attempts and fails the scene after maxAttempts.
        return await this.releaseForRetry(job.id, index);
      } else {
        outcome = { status: 'failed', errorCode: reply.code, errorStatus: reply.status, errorMessage: reply.message };
      }
      const result = await this.opts.store.finishScene(job.id, index, outcome);
      await this.publishScene(job.id, index, result, outcome);
      if (result.becameFinal) this.final(result.job);
    } catch (err) {
      this.opts.log?.('could not record a scene', { jobId: job.id, requestId: job.requestId, scene: index, err: String(err) });
    }
    return 'recorded';
  }

  /** The scene's outcome to the observer and the log, before it is recorded (a failed write is logged on its own). */
  private report(job: JobRecord, index: number, reply: RenderReply, timings: SceneTimings | undefined): void {
    const status = reply.type === 'done' ? (reply.moderated ? 'moderated' : 'done') : reply.code === 'ADS_WORKER_CRASHED' ? 'requeued' : 'failed';
    const errorCode = reply.type === 'error' ? reply.code : undefined;
    this.opts.observe?.({ jobId: job.id, index, status, ...(errorCode ? { errorCode } : {}), ...(timings ? { timings } : {}) });
    this.opts.log?.('scene outcome', {
      jobId: job.id,
      requestId: job.requestId,
      scene: index,
      status,
      ...(errorCode ? { code: errorCode } : {}),
      ...(timings ? { ms: roundTimings(timings) } : {}),
    });
  }

  /**
   * Tells listeners the scene's new status: the outcome just written, or, when it was not written (the scene was
   * already final, cancelled say), the status the store holds.
   */
  private async publishScene(jobId: string, index: number, written: SceneFinish, outcome: SceneOutcome): Promise<void> {
    const status = written.recorded ? outcome.status : (await this.opts.store.getScenes(jobId)).find((x) => x.index === index)?.status;
    this.opts.events.publish({ jobId, type: 'scene', index, ...(status ? { status } : {}) });
  }

  /**
   * The result could not be written to the blob store (S3 unreachable, say): the scene is tried again like one whose
   * thread crashed (BullMQ after its backoff), and once it used maxAttempts it fails with the store's own error, which
   * names the store (for S3 the operation, bucket and endpoint), rather than staying `rendering` for ever.
   */
  private async storeFailed(job: JobRecord, index: number, err: unknown): Promise<SceneRunOutcome> {
    const reason = err instanceof Error ? err.message : String(err);
    this.opts.log?.('could not store a scene result', { jobId: job.id, requestId: job.requestId, scene: index, err: reason });
    const scene = (await this.opts.store.getScenes(job.id)).find((x) => x.index === index);
    if (scene && scene.attempts < this.opts.maxAttempts) return this.releaseForRetry(job.id, index);
    const error = new AdsmithError('ADS_RESULT_NOT_STORED', { attempts: this.opts.maxAttempts, reason });
    const outcome: SceneOutcome = { status: 'failed', errorCode: error.code, errorStatus: error.status, errorMessage: error.message };
    const result = await this.opts.store.finishScene(job.id, index, outcome);
    await this.publishScene(job.id, index, result, outcome);
    if (result.becameFinal) this.final(result.job);
    return 'recorded';
  }

  private async releaseForRetry(jobId: string, index: number): Promise<SceneRunOutcome> {
    if (await this.opts.store.requeueScene(jobId, index, this.opts.maxAttempts)) {
      const job = await this.opts.store.getJob(jobId);
      if (job) this.final(job);
      return 'recorded';
    }
    const scene = (await this.opts.store.getScenes(jobId)).find((x) => x.index === index);
    return scene?.status === 'pending' ? 'requeued' : 'recorded';
  }

  private final(job: JobRecord): void {
    this.forget(job.id);
    this.opts.onJobFinal(job);
  }
}

function errorReply(taskId: number, err: unknown): Extract<RenderReply, { type: 'error' }> {
  if (isAdsmithError(err)) return { type: 'error', taskId, code: err.code, status: err.status, message: err.message };
  const reason = err instanceof Error ? err.message : String(err);
  return { type: 'error', taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${reason}` };
}

/** Stage times to 0.1 ms: a log line says how long, not the clock's noise. */
function roundTimings(t: SceneTimings): SceneTimings {
  const r = (ms: number) => Math.round(ms * 10) / 10;
  return { layout: r(t.layout), paint: r(t.paint), encode: r(t.encode) };
}
