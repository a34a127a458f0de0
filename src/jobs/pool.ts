import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import type { RenderReply, RenderTask, ThreadMessage, WorkerSettings } from './protocol.js';
import { startThread } from './thread.js';

/**
 * Tasks one thread holds at most: the one it renders and one queued behind it at the thread. The queued one is
 * why a thread never waits for the main thread: when it finishes a scene it starts the next at once, while the
 * main thread records the finished one and claims another (without it the thread idled for that whole round trip).
 * More than one queued task would only delay other organisations' scenes (the queue claims them earlier).
 */
export const TASKS_PER_THREAD = 2;

interface Held {
  task: RenderTask;
  resolve: (r: RenderReply) => void;
  /** The thread said it began this task. */
  started: boolean;
}

interface Slot {
  worker: Worker;
  /** In the order posted; the thread begins them in that order (render-worker.ts). */
  tasks: Held[];
  /** performance.now() when the thread last went from no task to one. */
  busySince: number;
}

/**
 * A fixed pool of worker threads that render scenes, so the event loop never renders. Each thread holds up to
 * `perThread` tasks and begins them one after the other. A thread that dies fails the tasks it had begun
 * (ADS_WORKER_CRASHED: the dispatcher puts the scene back and the store counts the attempt) and is replaced; the
 * tasks queued behind them had not started, so they go to another thread as they are, neither lost nor run twice.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];
  /** Thread-milliseconds spent holding at least one task, of threads that have gone idle since (see busyMs). */
  private busyDone = 0;
  readonly perThread: number;

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly settings: WorkerSettings,
    /**
     * debug: print why a thread died (ADSMITH_DEBUG_POOL, read by the server's config).
     * perThread: tasks a thread holds at once (default TASKS_PER_THREAD; 1 is the old one-task-per-thread pool).
     */
    private readonly opts: { debug?: boolean; perThread?: number } = {},
  ) {
    const perThread = opts.perThread ?? TASKS_PER_THREAD;
    if (!Number.isInteger(perThread) || perThread < 1) throw new Error(`perThread must be a positive integer, got ${perThread}`);
    this.perThread = perThread;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = startThread(this.script, this.settings);
    const slot: Slot = { worker, tasks: [], busySince: 0 };
    worker.on('message', (msg: ThreadMessage) => {
      const i = slot.tasks.findIndex((h) => h.task.taskId === msg.taskId);
      if (i < 0) return;
      if (msg.type === 'started') {
        slot.tasks[i]!.started = true;
        return;
      }
      const [held] = slot.tasks.splice(i, 1);
      if (slot.tasks.length === 0) this.busyDone += performance.now() - slot.busySince;
      held!.resolve(msg);
      this.wake();
    });
    let dead = false;
    const onDeath = (reason: string) => {
      if (dead) return;
      dead = true;
      if (this.opts.debug) console.error('worker died:', reason);
      const held = slot.tasks.splice(0);
      if (held.length) this.busyDone += performance.now() - slot.busySince;
      // A thread that never said `started` (its message lost with it) is taken to have begun its first task:
      // counting an attempt too many is safe, handing a scene that kills threads on for free is not.
      if (held[0] && !held.some((h) => h.started)) held[0].started = true;
      for (const h of held) if (h.started) h.resolve(crashed(h.task, `The render worker stopped (${reason}).`));
      const queued = held.filter((h) => !h.started);
      if (this.closed) {
        for (const h of queued) h.resolve(crashed(h.task, 'The server is shutting down.'));
        return;
      }
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      // Never started on the dead thread: they keep their place, on the freest thread (the replacement, as a rule).
      for (const h of queued) this.post(this.freest()!, h);
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

  /** The thread with the fewest tasks (an idle one first), or null when every thread holds `perThread`. */
  private freest(): Slot | null {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.tasks.length < this.perThread && (!best || s.tasks.length < best.tasks.length)) best = s;
    return best;
  }

  private post(slot: Slot, held: Held): void {
    held.started = false;
    if (slot.tasks.length === 0) slot.busySince = performance.now();
    slot.tasks.push(held);
    slot.worker.postMessage(held.task);
  }

  /** Tasks the pool can take now: `perThread` per thread, less those held (0 once closed). */
  get free(): number {
    if (this.closed) return 0;
    let n = 0;
    for (const s of this.slots) n += this.perThread - s.tasks.length;
    return n;
  }

  /** Tasks the pool holds when full (threads × perThread): how many scenes a queue adapter should keep in flight. */
  get capacity(): number {
    return this.size * this.perThread;
  }

  /**
   * Thread-milliseconds so far during which threads held at least one task (drawing, storing or about to start):
   * 1 − Δbusy / (Δwall × size) is the share of the time the threads sat idle (bench/batch.bench.ts).
   */
  busyMs(): number {
    const now = performance.now();
    let ms = this.busyDone;
    for (const s of this.slots) if (s.tasks.length) ms += now - s.busySince;
    return ms;
  }

  /** Threads with no task at all. */
  get idle(): number {
    return this.closed ? 0 : this.slots.filter((s) => s.tasks.length === 0).length;
  }

  /**
   * Runs a task on the thread with the fewest tasks; the caller checks `free` first (over capacity it answers
   * ADS_POOL_BUSY at once). The reply comes when the thread has rendered it, after any task queued before it.
   */
  run(task: RenderTask): Promise<RenderReply> {
    const slot = this.closed ? null : this.freest();
    if (!slot) return Promise.resolve({ type: 'error', taskId: task.taskId, code: 'ADS_POOL_BUSY', status: 503, message: 'No free render worker.' });
    return new Promise((resolve) => this.post(slot, { task, resolve, started: false }));
  }

  /** Resolves when the pool can take a task (or is closed). */
  whenFree(): Promise<void> {
    if (this.free > 0 || this.closed) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    for (const slot of this.slots) {
      for (const h of slot.tasks.splice(0)) h.resolve(crashed(h.task, 'The server is shutting down.'));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

function crashed(task: RenderTask, message: string): RenderReply {
  return { type: 'error', taskId: task.taskId, code: 'ADS_WORKER_CRASHED', status: 500, message };
}
