import type { Worker } from 'node:worker_threads';
import { AdsmithError } from '../errors/catalogue.js';
import type { ImageVerdict } from '../moderation/index.js';
import { MODEL_PARTS, type CutoutResult, type ModelPart, type ModelsFailure, type ModelsReply, type ModelsRequest, type ModelsThreadSettings, type PartStatus } from './models-protocol.js';
import { startThread } from './thread.js';

const NOT_LOADED: PartStatus = { state: 'not_loaded', ok: true, detail: 'not loaded yet (loads on first use)' };

/**
 * The main thread's handle on the models thread: starts it on first use, sends
 * it cut-out and classification work, and keeps each model's last known status
 * so /healthz answers from memory (no message round trip, never slow). A thread
 * that dies fails what it was doing with a 424 and is started again on the next
 * call.
 */
export class ModelHost {
  private worker: Worker | null = null;
  private seq = 0;
  private closed = false;
  private readonly pending = new Map<number, { type: 'cutout' | 'classify'; resolve: (reply: ModelsReply) => void }>();
  private readonly statuses = new Map<ModelPart, PartStatus>(MODEL_PARTS.map((p) => [p, NOT_LOADED]));
  private readonly waiters = new Map<ModelPart, Array<(s: PartStatus) => void>>();
  /** Counters for tests, benches and /healthz. */
  readonly stats = { cutoutsComputed: 0, cutoutsReused: 0, classified: 0 };

  constructor(
    private readonly script: URL,
    private readonly settings: ModelsThreadSettings,
  ) {}

  status(part: ModelPart): PartStatus {
    return this.statuses.get(part) ?? NOT_LOADED;
  }

  /** Starts loading these parts in the background (server start with ADSMITH_PRELOAD_MODELS). */
  preload(parts: readonly ModelPart[] = MODEL_PARTS): void {
    for (const part of parts) void this.ensure(part);
  }

  /** Loads the part if it is not loaded; resolves with its settled status (ready or failed). Never rejects. */
  ensure(part: ModelPart): Promise<PartStatus> {
    const current = this.status(part);
    if (current.state === 'ready' || current.state === 'failed' || this.closed) return Promise.resolve(current);
    return new Promise((resolve) => {
      const list = this.waiters.get(part) ?? [];
      list.push(resolve);
      this.waiters.set(part, list);
      if (current.state === 'not_loaded') {
        this.statuses.set(part, { state: 'loading', ok: true, detail: `${part} model loading` });
        this.send({ type: 'load', part });
      }
    });
  }

  /** Throws the 424 that says what is missing when the part cannot work. */
  async require(part: ModelPart, feature: string): Promise<void> {
    const s = await this.ensure(part);
    if (!s.ok) throw new AdsmithError('ADS_MODEL_UNAVAILABLE', { feature, detail: s.detail });
  }

  /** The cut-out of an image (computed once per content, persisted). Throws the catalogue error on failure. */
  async cutout(bytes: Uint8Array): Promise<CutoutResult> {
    const reply = await this.call((id) => ({ type: 'cutout', id, bytes }));
    if (reply.type !== 'cutout') throw new Error('models thread answered out of order');
    if (!reply.result.ok) throw failure(reply.result);
    if (reply.result.computed) this.stats.cutoutsComputed++;
    else this.stats.cutoutsReused++;
    return reply.result;
  }

  /** The NSFW verdict on encoded image bytes. Throws the catalogue error on failure. */
  async classify(bytes: Uint8Array): Promise<{ verdict: ImageVerdict; ms: number }> {
    const reply = await this.call((id) => ({ type: 'classify', id, bytes }));
    if (reply.type !== 'classify') throw new Error('models thread answered out of order');
    if (!reply.result.ok) throw failure(reply.result);
    this.stats.classified++;
    return reply.result;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.failAll('the server is shutting down');
    await w?.terminate();
  }

  private call(make: (id: number) => ModelsRequest): Promise<ModelsReply> {
    if (this.closed) return Promise.reject(new AdsmithError('ADS_SERVER_BUSY', { reason: 'shutting down' }));
    const id = ++this.seq;
    const msg = make(id);
    if (msg.type === 'load') throw new Error('load is not a call');
    return new Promise((resolve) => {
      this.pending.set(id, { type: msg.type, resolve });
      this.send(msg);
    });
  }

  private send(msg: ModelsRequest): void {
    this.thread().postMessage(msg);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(this.script, this.settings);
    worker.on('message', (reply: ModelsReply) => this.onReply(reply));
    const onDeath = (reason: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(`the models thread stopped (${reason}); it starts again on the next request`);
    };
    worker.on('error', (err) => onDeath(err.message));
    worker.on('exit', (code) => onDeath(`exit code ${code}`));
    // The models thread must not keep a finished process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(reply: ModelsReply): void {
    if (reply.type === 'status') {
      this.statuses.set(reply.part, reply.status);
      if (reply.status.state === 'ready' || reply.status.state === 'failed') {
        const list = this.waiters.get(reply.part) ?? [];
        this.waiters.delete(reply.part);
        for (const w of list) w(reply.status);
      }
      return;
    }
    const waiting = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    waiting?.resolve(reply);
  }

  /** Settles everything in flight after the thread died or the server stops; models reload on next use. */
  private failAll(detail: string): void {
    // The crash code makes the dispatcher put a scene back for another attempt, as for a render thread.
    const failed: ModelsFailure = { ok: false, code: 'ADS_WORKER_CRASHED', params: { reason: detail } };
    for (const [id, { type, resolve }] of this.pending) resolve(type === 'cutout' ? { type, id, result: failed } : { type, id, result: failed });
    this.pending.clear();
    for (const part of MODEL_PARTS) {
      for (const w of this.waiters.get(part) ?? []) w({ state: 'failed', ok: false, detail });
      this.waiters.delete(part);
      if (!this.closed) this.statuses.set(part, { ...NOT_LOADED, detail: `not loaded: ${detail}` });
    }
  }
}

function failure(f: ModelsFailure): AdsmithError {
  return new AdsmithError(f.code, f.params);
}
