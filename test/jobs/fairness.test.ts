import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../src/admin/index.js';
import { publicTemplate } from '../../src/assets/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { SqliteStore } from '../../src/storage/sqlite.js';
import { tempDir } from '../server/helpers.js';

/**
 * Issue 9: four heavy jobs of one organisation held another organisation's
 * plain 0.5 s job for 108 s, because the queue was first-in-first-out across
 * everyone. Target: behind 4 worst-case jobs of another organisation, a plain
 * 1061 job finishes in ≤ 5 s. A real server (real engine, two render threads)
 * on 127.0.0.1, driven over HTTP.
 */
let app: Awaited<ReturnType<typeof buildApp>>['app'];
let store: SqliteStore;
let base = '';
let dataDir = '';
let heavy = '';
let plain = '';
beforeAll(async () => {
  dataDir = tempDir();
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://127.0.0.1', workers: 2, logger: false }));
  app = built.app;
  store = built.ctx.store as SqliteStore;
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  heavy = (await createOrg(store, { name: 'heavy', plan: 'pro' })).token;
  plain = (await createOrg(store, { name: 'plain', plan: 'pro' })).token;
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function post(path: string, token: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { api_token: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Scenes of an organisation (by name) in a status, read from the store. */
const count = (org: string, status: string): number =>
  (
    store.db
      .prepare(`SELECT COUNT(*) AS n FROM scenes s JOIN jobs j ON j.id = s.job_id JOIN orgs o ON o.id = j.org_id WHERE o.name = ? AND s.status = ?`)
      .get(org, status) as { n: number }
  ).n;

describe('the queue serves organisations in turn', () => {
  it('a plain 1061 job of one organisation overtakes 4 worst-case jobs of another: only the heavy scenes already in the threads finish before it', async () => {
    // The worst case the limits allow a Pro organisation in 4 jobs: 24 scenes each (1061's eight formats three
    // times), at scale 2, with a heading at the 5,000-character limit in every scene.
    type El = { id: string; style: { frame?: { element?: string } } };
    const doc = structuredClone(publicTemplate('1061')!) as unknown as Record<string, unknown> & { scenes: Array<{ elements: El[] }> };
    delete doc['id'];
    // Element ids are unique across a template: each copy gets its own (and a smart-image frame names its copy's photo).
    const renamed = (e: El, copy: number): El => ({
      ...e,
      id: `${e.id}-${copy}`,
      style: e.style.frame?.element ? { ...e.style, frame: { ...e.style.frame, element: `${e.style.frame.element}-${copy}` } } : e.style,
    });
    doc.scenes = [0, 1, 2].flatMap((copy) => structuredClone(doc.scenes).map((s) => ({ ...s, elements: s.elements.map((e) => renamed(e, copy)) })));
    // The same plain job alone first, for comparison, once the render threads are warm (as the heavy jobs leave them).
    const plainJob = { template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: 'Summer sale' }] };
    expect((await post('/v1/ads/generate', plain, plainJob)).status).toBe(200);
    const aloneStarted = performance.now();
    const alone = await post('/v1/ads/generate', plain, plainJob);
    const aloneSeconds = (performance.now() - aloneStarted) / 1000;
    expect(alone.json['status']).toBe('COMPLETED');
    const saved = await post('/v1/ads/templates', heavy, doc);
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    const words = 'Summer linen, washed soft, cut loose for long days — ';
    const heading = words.repeat(Math.ceil(5_000 / words.length)).slice(0, 5_000);
    const heavyJobs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post('/v1/ads/generate', heavy, { template_id: String(saved.json['id']), scale: 2, elements: [{ content_type: 'Heading #1', content: heading }] });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      heavyJobs.push(String(res.json['request_id']));
    }
    // Both render threads busy with the heavy organisation before the plain job arrives (each holds a second
    // heavy scene queued behind the one it draws: up to 4 rendering).
    const deadline = Date.now() + 30_000;
    while (count('heavy', 'rendering') < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(count('heavy', 'rendering')).toBe(4);

    const heavyDoneBefore = count('heavy', 'done');
    const started = performance.now();
    const res = await post('/v1/ads/generate', plain, plainJob);
    const seconds = (performance.now() - started) / 1000;
    const heavyLeft = count('heavy', 'pending') + count('heavy', 'rendering');
    const heavyDoneMeanwhile = count('heavy', 'done') - heavyDoneBefore;
    console.log(
      `plain 1061 job (8 scenes) behind 4 heavy jobs (96 scenes at scale 2) of another organisation: ${seconds.toFixed(2)} s ` +
        `(alone on the idle, warm server: ${aloneSeconds.toFixed(2)} s; issue 9's target ≤ 5 s); heavy scenes finished meanwhile: ${heavyDoneMeanwhile}, still waiting or rendering: ${heavyLeft}`,
    );
    expect(res.status).toBe(200);
    expect(res.json['status']).toBe('COMPLETED');
    // The wait is what the machine makes of the heavy scenes already in the threads (printed above; issue 9's
    // target is ≤ 5 s), so the test checks the order instead, which load does not change: the 4 heavy scenes the
    // threads held when the plain job arrived finish, and as the two organisations take claims in turn, at most
    // one heavy scene per plain scene (8) is claimed meanwhile: 12 at most (measured: 8). First-in-first-out
    // would have run all 96 heavy scenes first.
    expect(heavyDoneMeanwhile).toBeLessThanOrEqual(12);
    expect(heavyLeft).toBeGreaterThan(48);

    for (const id of heavyJobs) await post(`/v1/jobs/${id}/cancel`, heavy, {});
  }, 120_000);

  it('a per-organisation cap holds an organisation to that many scenes rendering at once', async () => {
    // The Free plan's cap is 1 scene rendering at a time, though two render threads are free.
    const free = await createOrg(store, { name: 'free-capped', plan: 'free' });
    const job = await post('/v1/ads/generate', free.token, { template_id: '1061' });
    expect(job.status).toBe(200);
    const samples: number[] = [];
    const until = Date.now() + 20_000;
    for (;;) {
      samples.push(count('free-capped', 'rendering'));
      const done = count('free-capped', 'done');
      if (done === 8 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(count('free-capped', 'done')).toBe(8);
    expect(Math.max(...samples)).toBe(1);
  }, 60_000);
});
