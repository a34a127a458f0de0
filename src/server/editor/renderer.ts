import type { BrandDocument } from '../../engine/model/brand.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError } from '../../errors/catalogue.js';
import { ownedFileIds } from '../../jobs/file-access.js';
import { WorkerPool } from '../../jobs/pool.js';
import type { RenderReply, SmartImageTask } from '../../jobs/protocol.js';
import { SmartImageJobs } from '../../jobs/smart-image-jobs.js';
import type { ElementOverride } from '../../node/types.js';
import type { JobRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';

export interface EditorRender {
  bytes: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
}

/** The editor's thread is stopped after this long without a save: it holds fonts and decoded images (~180 MB measured). */
export const EDITOR_THREAD_IDLE_MS = 60_000;

/**
 * Draws the editor's saves. It runs the same render-worker script as the job queue (same engine, same fetcher:
 * uploaded files from the blob store, a job's saved inputs by job id, guarded fetch for the rest) on a thread of
 * its own, so a save neither blocks the event loop nor takes a thread from the queue's pool. The thread starts
 * on the first save and stops after EDITOR_THREAD_IDLE_MS idle; saves are drawn one at a time, in order.
 */
export class EditorRenderer {
  private pool: WorkerPool | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private taskId = 0;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  /** The job's smart image, prepared as the queue prepares it: the models thread's cut-out is persisted by image, so after the job's own render this only reads it back. */
  private smartJobs: SmartImageJobs | null = null;

  constructor(
    private readonly ctx: ServerContext,
    private readonly idleMs = EDITOR_THREAD_IDLE_MS,
  ) {}

  /** Whether the editor's render thread is running (it starts on demand and stops when idle). */
  get running(): boolean {
    return this.pool !== null;
  }

  private stopWhenIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      // Queued behind any save in flight, so a render never loses its thread.
      this.tail = this.tail.then(async () => {
        const pool = this.pool;
        this.pool = null;
        await pool?.close();
      });
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private getPool(): WorkerPool {
    const { config, blob } = this.ctx;
    this.pool ??= new WorkerPool(new URL('../../jobs/render-worker.ts', import.meta.url), 1, {
      allowPrivateUrls: config.allowPrivateUrls,
      publicUrl: config.publicUrl,
      // The same store the queue's threads open (src/server/app.ts).
      blob: blob.describe(),
      smartImage: config.models.smartImage,
      textRenderer: config.textRenderer,
    });
    return this.pool;
  }

  /** The smart-image task of a job that used smart image (null otherwise); its frames are composed on the render thread for the edited boxes. */
  private async smartImageOf(job: JobRecord): Promise<SmartImageTask | null> {
    if (!(job.request as { smart_image?: unknown }).smart_image) return null;
    const host = this.ctx.models;
    if (!host) throw new AdsmithError('ADS_MODEL_UNAVAILABLE', { feature: 'Smart image', detail: 'this node has no models thread' });
    await host.require('smart_image', 'Smart image');
    const { config, blob, store } = this.ctx;
    this.smartJobs ??= new SmartImageJobs({
      host,
      blob,
      publicUrl: config.publicUrl,
      allowPrivateUrls: config.allowPrivateUrls,
      ownedFiles: (j) => ownedFileIds(store, j.orgId, [j.request]),
    });
    return this.smartJobs.prepare(job);
  }

  /** Renders scene `index` of `template` with the job's brand, output options and smart image; throws a catalogue error when it cannot be drawn. */
  render(job: JobRecord, template: TemplateDocument, index: number, elements: ElementOverride[]): Promise<EditorRender> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const run = this.tail.then(async () => {
      if (this.closed) throw new AdsmithError('ADS_SERVER_BUSY', { reason: 'shutting down' });
      const reply: RenderReply = await this.getPool().run({
        taskId: ++this.taskId,
        jobId: job.id,
        sceneIndex: index,
        template,
        brand: job.brand as BrandDocument | null,
        elements,
        output: { format: job.output.format, scale: job.output.scale, ...(job.output.maxKb !== undefined ? { maxKb: job.output.maxKb } : {}) },
        smartImage: await this.smartImageOf(job),
        contentModeration: false,
        // The uploaded files this render may read: those of the job's organisation that the document names.
        files: await ownedFileIds(this.ctx.store, job.orgId, [template, job.brand, elements, (job.request as { smart_image?: unknown }).smart_image ?? null]),
      });
      if (reply.type === 'done') return { bytes: reply.bytes, mimeType: reply.mimeType, width: reply.width, height: reply.height };
      // What the render said about the input (an image that does not load, a font…), as the save's answer.
      if (reply.status >= 400 && reply.status < 500) throw new AdsmithError('ADS_EDITOR_RENDER_FAILED', { reason: reply.message.endsWith('.') ? reply.message : `${reply.message}.` });
      throw new AdsmithError('ADS_RENDER_FAILED', { reason: `${reply.message} Nothing was saved; save again.` });
    });
    this.tail = run.catch(() => undefined);
    void this.tail.then(() => !this.closed && this.stopWhenIdle());
    return run;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.pool?.close();
    this.pool = null;
  }
}
