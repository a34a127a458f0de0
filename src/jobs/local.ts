import type { BlobStore } from '../blob/types.js';
import { resultBlobKey } from '../blob/keys.js';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride } from '../node/types.js';
import { sha256Hex } from '../server/ids.js';
import type { JobRecord, MetadataStore } from '../storage/types.js';
import type { WorkerPool } from './pool.js';
import type { SmartImageInput } from './protocol.js';
import type { JobEventBus, JobQueue } from './types.js';

const EXT: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

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
  log?: (msg: string, extra?: object) => void;
}

/** The embedded queue: claims pending scenes from the store and renders them on the worker pool. */
export class LocalQueue implements JobQueue {
  private running = false;
  private pumping = false;
  private again = false;
  private taskId = 0;
  private inFlight = new Set<Promise<void>>();
  private finalListeners: Array<(job: JobRecord) => void> = [];
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
    this.opts.events.publish({ jobId: job.id, type: 'final' });
    for (const l of this.finalListeners) {
      try {
        l(job);
      } catch (err) {
        this.opts.log?.('final listener failed', { err: String(err) });
      }
    }
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
    while (this.running && pool.idle > 0) {
      const claimed = await this.opts.store.claimScene(this.opts.leaseMs ?? 5 * 60_000, this.opts.maxAttempts ?? 3, (jobId) => {
        void this.opts.store.getJob(jobId).then((job) => job && this.emitFinal(job));
      });
      if (!claimed) return;
      const { job, scene } = claimed;
      this.opts.events.publish({ jobId: job.id, type: 'scene', index: scene.index, status: 'rendering' });
      const p = this.renderOne(job, scene.index).finally(() => {
        this.inFlight.delete(p);
        this.notify('');
      });
      this.inFlight.add(p);
    }
  }

  private async renderOne(job: JobRecord, index: number): Promise<void> {
    const pool = this.opts.pool as WorkerPool;
    const req = job.request as { elements?: ElementOverride[]; smart_image?: SmartImageInput; content_moderation?: boolean };
    const reply = await pool.run({
      taskId: ++this.taskId,
      jobId: job.id,
      sceneIndex: index,
      template: job.template as TemplateDocument,
      brand: job.brand as BrandDocument | null,
      elements: req.elements ?? [],
      output: { format: job.output.format, scale: job.output.scale, ...(job.output.maxKb !== undefined ? { maxKb: job.output.maxKb } : {}) },
      smartImage: req.smart_image ?? null,
      contentModeration: req.content_moderation === true,
    });
    if (!this.running) return; // shutting down: the lease/orphan recovery re-renders it
    try {
      let result;
      if (reply.type === 'done') {
        const bytes = reply.moderated ? new Uint8Array(0) : reply.bytes;
        const key = resultBlobKey(job.id, index, EXT[reply.mimeType] ?? 'bin');
        await this.opts.blob.put(key, bytes, reply.mimeType);
        const etag = `"${sha256Hex(bytes).slice(0, 32)}"`;
        result = await this.opts.store.finishScene(
          job.id,
          index,
          reply.moderated
            ? { status: 'moderated', blobKey: key, mimeType: reply.mimeType, etag, warnings: reply.warnings }
            : { status: 'done', blobKey: key, mimeType: reply.mimeType, etag, size: bytes.byteLength, warnings: reply.warnings },
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
