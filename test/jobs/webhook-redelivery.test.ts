import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerChild, stopServerChild } from '../helpers/server-process.js';

/**
 * Webhooks are delivered at least once (docs/api.md, Webhooks): a POST in
 * flight when the server is killed is sent again after the restart with the
 * same `webhook-id`, which is what receivers de-duplicate on. A real server
 * process, SIGKILLed while the receiver (127.0.0.1) holds the first POST open.
 */
const TOKEN = 'redelivery-test-token-0123456789';
const children: ChildProcess[] = [];
const closers: Array<() => void> = [];

afterAll(async () => {
  await Promise.all(children.map((c) => stopServerChild(c)));
  for (const close of closers) close();
});

interface Received {
  id: string;
  body: string;
}

/** The first POST is held open (never answered: the server dies with it in flight); later ones get 204. */
async function holdingReceiver(): Promise<{ url: string; received: Received[]; firstArrived: Promise<void> }> {
  const received: Received[] = [];
  let arrived!: () => void;
  const firstArrived = new Promise<void>((r) => (arrived = r));
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ id: String(req.headers['webhook-id']), body });
      if (received.length === 1) arrived();
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, firstArrived };
}

async function start(dataDir: string): Promise<string> {
  const server = await startServerChild({
    dataDir,
    timeoutMs: 30_000,
    env: { ADSMITH_API_TOKEN: TOKEN, ADSMITH_ALLOW_PRIVATE_URLS: '1', ADSMITH_WORKERS: '1', ADSMITH_PRELOAD_MODELS: '0', ADSMITH_WEBHOOK_TIMEOUT_MS: '60000' },
  });
  children.push(server.child);
  return server.base;
}

describe('webhook delivery across a crash', () => {
  it('a webhook in flight at kill -9 is sent again after the restart with the same webhook-id and body', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-redelivery-'));
    const receiver = await holdingReceiver();
    const base = await start(dataDir);
    const res = await fetch(`${base}/v1/ads/generate`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1061', webhook_url: receiver.url, elements: [{ content_type: 'Heading #1', content: 'Delivered twice' }] }),
    });
    expect(res.status).toBe(200);
    await receiver.firstArrived;
    // The receiver holds the POST: the server has not seen a 2xx, so the delivery is still pending when it dies.
    await stopServerChild(children.at(-1)!);

    await start(dataDir);
    const until = Date.now() + 30_000;
    while (receiver.received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received.length).toBe(2);
    const [first, second] = receiver.received as [Received, Received];
    expect(first.id).toMatch(/\S/);
    expect(second.id).toBe(first.id);
    expect(second.body).toBe(first.body);
    expect(JSON.parse(second.body)).toMatchObject({ status: 'COMPLETED' });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);
});
