import type { JobRecord, SceneStatus } from '../storage/types.js';

/** Progress events of jobs, for SSE and `sync: true`. In one process an EventEmitter; scale-out publishes through Redis. */
export interface JobEvent {
  jobId: string;
  type: 'scene' | 'final';
  index?: number;
  status?: SceneStatus;
}

export interface JobEventBus {
  publish(event: JobEvent): void;
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
}

/**
 * The job queue. Jobs and scenes are persisted by the metadata store before
 * `notify`; the queue only decides who renders what. The local adapter polls the
 * store and renders on a worker-thread pool; a BullMQ adapter would enqueue the
 * job id and let worker nodes claim scenes through the same store calls.
 */
export interface JobQueue {
  /** Recovers work left by a killed process, then starts dispatching. */
  start(): Promise<void>;
  /** A job was accepted (its scenes are in the store as `pending`). */
  notify(jobId: string): void;
  /** Called by the queue when a job reaches a final state (for webhooks). */
  onFinal(listener: (job: JobRecord) => void): void;
  stop(): Promise<void>;
}
