import { randomBytes } from 'node:crypto';
import { MemoryEventBus } from './events.js';
import { connectRedis, type RedisClient } from './redis-client.js';
import type { JobEvent, JobEventBus } from './types.js';

interface Envelope {
  /** The bus instance that published it: it delivered the event to its own subscribers already. */
  from: string;
  event: JobEvent;
}

/**
 * The job event bus across processes, over Redis pub/sub: a scene rendered on a worker node reaches the SSE
 * stream and the `sync: true` wait of the API node that holds the request.
 *
 * It behaves like the in-process bus: a process's own events reach its subscribers at once, in the call to
 * `publish`, and also go to Redis for the other processes; each process takes the deployment's one channel
 * (`<prefix>:job-events`) on one subscriber connection opened before `connect` returns, and hands events to
 * its subscribers by job id, so a `subscribe` is in force the moment it returns (no per-job SUBSCRIBE round
 * trip for an event to slip through). Like the in-process bus it keeps nothing: an event published while a
 * process was not listening is not replayed (readers take the state from the store, events only wake them).
 */
export class RedisEventBus implements JobEventBus {
  private readonly local = new MemoryEventBus();
  private readonly id = randomBytes(8).toString('hex');
  private closed = false;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly channel: string,
    private readonly log?: (msg: string, extra?: object) => void,
  ) {
    sub.on('message', (channel, message) => {
      if (channel !== this.channel) return;
      let envelope: Envelope;
      try {
        envelope = JSON.parse(message) as Envelope;
      } catch {
        return; // not one of ours
      }
      if (envelope.from !== this.id && envelope.event && typeof envelope.event.jobId === 'string') this.local.publish(envelope.event);
    });
  }

  /** Connects both connections and subscribes; fails with an error naming Redis when it is not reachable. */
  static async connect(url: string, prefix: string, opts: { log?: (msg: string, extra?: object) => void; timeoutMs?: number } = {}): Promise<RedisEventBus> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const pub = await connectRedis(url, { name: `${prefix}:events-pub`, timeoutMs });
    let sub: RedisClient;
    try {
      sub = await connectRedis(url, { name: `${prefix}:events-sub`, timeoutMs });
    } catch (err) {
      pub.disconnect();
      throw err;
    }
    const bus = new RedisEventBus(pub, sub, `${prefix}:job-events`, opts.log);
    await sub.subscribe(bus.channel);
    return bus;
  }

  publish(event: JobEvent): void {
    this.local.publish(event);
    if (this.closed) return;
    const envelope: Envelope = { from: this.id, event };
    this.pub.publish(this.channel, JSON.stringify(envelope)).catch((err: unknown) => this.log?.('job event not published to Redis', { jobId: event.jobId, err: String(err) }));
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    return this.local.subscribe(jobId, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }
}
