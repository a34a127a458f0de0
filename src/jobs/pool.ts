import type { Worker } from 'node:worker_threads';
import type { RenderReply, RenderTask, WorkerSettings } from './protocol.js';
import { startThread } from './thread.js';

interface Slot {
  worker: Worker;
  busy: { task: RenderTask; resolve: (r: RenderReply) => void } | null;
}

/**
 * A fixed pool of worker threads that render scenes, so the event loop never
 * renders. A thread that dies fails its task (the dispatcher retries it) and is
 * replaced.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly settings: WorkerSettings,
    /** debug: print why a thread died (ADSMITH_DEBUG_POOL, read by the server's config). */
    private readonly opts: { debug?: boolean } = {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = startThread(this.script, this.settings);
    const slot: Slot = { worker, busy: null };
    worker.on('message', (reply: RenderReply) => {
      const busy = slot.busy;
      if (!busy || busy.task.taskId !== reply.taskId) return;
      slot.busy = null;
      busy.resolve(reply);
      this.wake();
    });
    const onDeath = (reason: string) => {
      if (this.opts.debug) console.error('worker died:', reason);
      const busy = slot.busy;
      slot.busy = null;
      if (busy) busy.resolve({ type: 'error', taskId: busy.task.taskId, code: 'ADS_WORKER_CRASHED', status: 500, message: `The render worker stopped (${reason}).` });
      if (this.closed) return;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.wake();
    };
    worker.on('error', (err) => onDeath(err.message));
    worker.on('exit', (code) => {
      if (!this.closed) onDeath(`exit code ${code}`);
    });
    worker.unref();
    return slot;
  }

  private wake(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }

  get idle(): number {
    return this.closed ? 0 : this.slots.filter((s) => !s.busy).length;
  }

  /** Runs a task on an idle thread; the caller checks `idle` first. */
  run(task: RenderTask): Promise<RenderReply> {
    const slot = this.slots.find((s) => !s.busy);
    if (!slot || this.closed) return Promise.resolve({ type: 'error', taskId: task.taskId, code: 'ADS_POOL_BUSY', status: 503, message: 'No idle render worker.' });
    return new Promise((resolve) => {
      slot.busy = { task, resolve };
      slot.worker.postMessage(task);
    });
  }

  /** Resolves when some thread becomes idle. */
  whenIdle(): Promise<void> {
    if (this.idle > 0) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    for (const slot of this.slots) {
      const busy = slot.busy;
      slot.busy = null;
      busy?.resolve({ type: 'error', taskId: busy.task.taskId, code: 'ADS_WORKER_CRASHED', status: 500, message: 'The server is shutting down.' });
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
