import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adsmith, ConnectionError, RateLimitError, TimeoutError } from '../../src/client/index.js';
import { startServer, type TestServer } from './server.js';

type Step = { status: number; headers?: Record<string, string>; body?: unknown } | 'reset' | 'hang';

/**
 * A loopback server speaking the API's HTTP protocol with a scripted sequence
 * of answers (429 + Retry-After, 503, dropped connections), to test how the
 * client retries. Records every request.
 */
async function scripted(steps: Step[]) {
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const step = steps.shift() ?? { status: 200, body: [] };
    if (step === 'reset') return void req.socket.destroy();
    if (step === 'hang') return;
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(JSON.stringify(step.body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { url, seen, close };
}

describe('retries against a scripted loopback server', () => {
  it('429 with Retry-After is waited for and retried; the request succeeds', async () => {
    const srv = await scripted([{ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'ADS_RATE_LIMITED', message: 'slow' } } }, { status: 200, body: [{ id: 1 }] }]);
    const client = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: srv.url });
    const started = Date.now();
    expect(await client.templates.list()).toEqual([{ id: 1 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(srv.seen).toHaveLength(2);
    await srv.close();
  });

  it('a Retry-After longer than maxRetryDelayMs is not waited for: RateLimitError at once', async () => {
    const srv = await scripted([{ status: 429, headers: { 'retry-after': '120' }, body: { error: { code: 'ADS_RATE_LIMITED', message: 'slow' } } }]);
    const client = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: srv.url, maxRetryDelayMs: 5000 });
    const err = await client.templates.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfter).toBe(120);
    expect(srv.seen).toHaveLength(1);
    await srv.close();
  });

  it('503 and dropped connections are retried for idempotent calls, up to maxRetries', async () => {
    const srv = await scripted([{ status: 503, body: { error: { code: 'ADS_SERVER_BUSY', message: 'closing' } } }, 'reset', { status: 200, body: [] }]);
    const client = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: srv.url, maxRetries: 2 });
    expect(await client.brands.list()).toEqual([]);
    expect(srv.seen).toHaveLength(3);
    await srv.close();
    const down = await scripted(['reset', 'reset', 'reset']);
    const few = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: down.url, maxRetries: 2 });
    await expect(few.brands.list()).rejects.toBeInstanceOf(ConnectionError);
    expect(down.seen).toHaveLength(3);
    await down.close();
  });

  it('an upload (not idempotent) is not sent again after a dropped connection', async () => {
    const srv = await scripted(['reset', { status: 201, body: { id: 'x' } }]);
    const client = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: srv.url });
    await expect(client.files.upload(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(ConnectionError);
    expect(srv.seen).toHaveLength(1);
    await srv.close();
  });

  it('a server that never answers is TimeoutError after timeoutMs', async () => {
    const srv = await scripted(['hang']);
    const client = new Adsmith({ apiKey: 'k'.repeat(20), baseUrl: srv.url, timeoutMs: 300, maxRetries: 0 });
    const err = await client.templates.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/did not answer GET \/v1\/ads\/templates within 300 ms/);
    await srv.close();
  });

  it('sends the token as a Bearer header', async () => {
    const srv = await scripted([{ status: 200, body: [] }]);
    await new Adsmith({ apiKey: 'secret-token-123456', baseUrl: `${srv.url}/` }).templates.list();
    expect(srv.seen[0]).toMatchObject({ method: 'GET', url: '/v1/ads/templates' });
    expect(srv.seen[0]!.headers.authorization).toBe('Bearer secret-token-123456');
    await srv.close();
  });
});

describe('generate retries are safe (real server)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ workers: 1 });
  });
  afterAll(async () => s.close());

  it('a POST whose answer is lost is sent again with the same Idempotency-Key: one job, not two', async () => {
    const keys: string[] = [];
    let dropped = false;
    // The server accepts the request, then the connection "drops" before the client reads the answer.
    const flaky = async (url: string, init?: RequestInit) => {
      const res = await fetch(url, init);
      if (url.endsWith('/v1/ads/generate')) {
        keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
        if (!dropped) {
          dropped = true;
          await res.body?.cancel();
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        }
      }
      return res;
    };
    const client = new Adsmith({ apiKey: s.token, baseUrl: s.url, fetch: flaky });
    const result = await client.generate({ template_id: '1061' });
    expect(result.status).toBe('COMPLETED');
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(await client.jobs.list()).toHaveLength(1);
  });
});
