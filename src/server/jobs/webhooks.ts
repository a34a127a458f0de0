import { createHmac } from 'node:crypto';
import { guardedRequest } from '../../net/fetch.js';
import type { JobRecord, MetadataStore, WebhookDelivery } from '../../storage/types.js';
import { newId } from '../../common/ids.js';

/** Standard Webhooks signature: `v1,` + base64(HMAC-SHA256(secret, "<id>.<timestamp>.<body>")). The secret is `whsec_` + base64. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookOptions {
  store: MetadataStore;
  /** Seconds to wait before each retry; the delivery fails after the last. */
  backoff: number[];
  timeoutMs: number;
  allowPrivateUrls: boolean;
  /** How often due deliveries are looked for, in ms. */
  pollMs?: number;
  /** false: only record deliveries (a worker node); the nodes that send (API nodes) pick them up. Default true. */
  send?: boolean;
  /**
   * Several processes sending from one store (API nodes): each attempt goes out only from the process that
   * claims it (src/server/jobs/webhook-claims.ts); without claims two processes polling at once both POST it.
   */
  claim?: (d: WebhookDelivery) => Promise<boolean>;
  log?: (msg: string, extra?: object) => void;
}

/**
 * Persisted webhook deliveries. A job's terminal state adds a row; a timer sends
 * due rows, each in its own promise, so a slow receiver never holds up rendering
 * or other deliveries. Retries are rows with a later `next_attempt_at`, so they
 * survive restarts.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private sending = new Set<string>();
  private ticking = false;

  constructor(private readonly opts: WebhookOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs ?? 1000);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Queues the POST for a job that reached a terminal state. */
  async enqueue(job: JobRecord, payload: object): Promise<WebhookDelivery | null> {
    if (!job.webhookUrl) return null;
    const id = newId('msg');
    await this.opts.store.addDelivery({ id, orgId: job.orgId, jobId: job.id, url: job.webhookUrl, payload: JSON.stringify(payload), nextAttemptAt: Date.now() });
    void this.tick();
    return this.opts.store.getDelivery(id);
  }

  /** Sends a delivery again as a new message with the same payload. */
  async replay(delivery: WebhookDelivery): Promise<WebhookDelivery | null> {
    const id = newId('msg');
    await this.opts.store.addDelivery({ id, orgId: delivery.orgId, jobId: delivery.jobId, url: delivery.url, payload: delivery.payload, nextAttemptAt: Date.now() });
    void this.tick();
    return this.opts.store.getDelivery(id);
  }

  async tick(): Promise<void> {
    if (this.ticking || this.opts.send === false) return;
    this.ticking = true;
    try {
      const due = await this.opts.store.dueDeliveries(Date.now(), 50);
      for (const d of due) {
        if (this.sending.has(d.id)) continue;
        this.sending.add(d.id);
        void this.send(d).finally(() => this.sending.delete(d.id));
      }
    } catch (err) {
      this.opts.log?.('webhook tick failed', { err: String(err) });
    } finally {
      this.ticking = false;
    }
  }

  private async send(d: WebhookDelivery): Promise<void> {
    if (this.opts.claim) {
      // Another node took this attempt (or Redis did not answer: the next tick tries again).
      const mine = await this.opts.claim(d).catch((err: unknown) => {
        this.opts.log?.('webhook claim failed', { delivery: d.id, err: String(err) });
        return false;
      });
      if (!mine) return;
    }
    const org = await this.opts.store.getOrg(d.orgId);
    if (!org) {
      await this.opts.store.updateDelivery(d.id, { status: 'failed', attempts: d.attempts, nextAttemptAt: 0, lastStatusCode: null, lastError: 'the organisation no longer exists' });
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await guardedRequest(
        d.url,
        { allowPrivate: this.opts.allowPrivateUrls, timeoutMs: this.opts.timeoutMs, maxBytes: 64 * 1024, maxRedirects: 0 },
        {
          method: 'POST',
          followRedirects: false,
          body: d.payload,
          headers: {
            'content-type': 'application/json',
            'webhook-id': d.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signWebhook(org.webhookSecret, d.id, timestamp, d.payload),
          },
        },
      );
      statusCode = res.status;
      if (res.status >= 200 && res.status < 300) {
        await this.opts.store.updateDelivery(d.id, { status: 'delivered', attempts: d.attempts + 1, nextAttemptAt: 0, lastStatusCode: res.status, lastError: null });
        return;
      }
      error = `receiver answered HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const attempts = d.attempts + 1;
    const delay = this.opts.backoff[attempts - 1];
    await this.opts.store.updateDelivery(d.id, {
      status: delay === undefined ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: delay === undefined ? 0 : Date.now() + delay * 1000,
      lastStatusCode: statusCode,
      lastError: error,
    });
  }
}
