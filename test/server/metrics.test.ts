import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { parseMetricsSettings } from '../../src/server/ops/metrics-access.js';
import { startApp, tempDir } from './helpers.js';
import { freePort } from '../../src/cli/batch/embedded.js';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';


/** One sample of the text exposition format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format (the subset prom-client writes: no timestamps, escaped label values). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and these labels; undefined when absent. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('/metrics with the real engine and a real render thread', () => {
  let built: Awaited<ReturnType<typeof buildApp>>;
  let dataDir = '';
  const TOKEN = 'metrics-test-token-0123456789';
  beforeAll(async () => {
    dataDir = tempDir();
    const config = loadConfig({ NODE_ENV: 'test', ADSMITH_METRICS_TOKEN: SCRAPE_TOKEN }, { dataDir, publicUrl: 'http://ads.test', workers: 1, logger: false });
    built = await buildApp(config);
    await built.app.ready();
    await ensureDefaultOrg(built.ctx.store, TOKEN);
  });
  afterAll(async () => {
    await built.app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const scrape = async () => {
    const res = await built.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(res.body);
  };

  it('needs the scrape token: none or a wrong one is a 401 naming the variable; an API token does not open it', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abc' }, { api_token: TOKEN }, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await built.app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('ADS_METRICS_UNAUTHORIZED');
      expect(res.json().error.message).toContain('ADSMITH_METRICS_TOKEN');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    }
  });

  it('after a generate: scenes counted, a histogram per render stage, the queue depth and the model states', async () => {
    const before = await scrape();
    const doneBefore = valueOf(before, 'adsmith_scenes_total', { status: 'done' }) ?? 0;
    const res = await built.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: TOKEN },
      payload: { template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: 'Metrics' }] },
    });
    expect(res.statusCode).toBe(200);
    const scenes = (res.json() as { result: unknown[] }).result.length;
    expect(scenes).toBe(8);

    const after = await scrape();
    expect(valueOf(after, 'adsmith_scenes_total', { status: 'done' })).toBe(doneBefore + scenes);
    for (const stage of ['layout', 'paint', 'encode']) {
      expect(valueOf(after, 'adsmith_render_stage_ms_count', { stage })).toBe(doneBefore + scenes);
      expect(valueOf(after, 'adsmith_render_stage_ms_bucket', { stage, le: '+Inf' })).toBe(doneBefore + scenes);
      // Real stage times: some of them took time, none is negative, buckets are cumulative.
      expect(valueOf(after, 'adsmith_render_stage_ms_sum', { stage })).toBeGreaterThan(0);
      const buckets = after.filter((s) => s.name === 'adsmith_render_stage_ms_bucket' && s.labels['stage'] === stage);
      expect(buckets.length).toBeGreaterThan(5);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    }
    // The job is final: nothing pending or rendering.
    expect(valueOf(after, 'adsmith_queue_depth')).toBe(0);
    for (const model of ['smart_image', 'image_moderation']) {
      const states = after.filter((s) => s.name === 'adsmith_model_state' && s.labels['model'] === model);
      expect(states.map((s) => s.labels['state']).sort()).toEqual(['failed', 'loading', 'not_loaded', 'ready']);
      expect(states.filter((s) => s.value === 1)).toHaveLength(1);
    }
    // prom-client's process metrics are in the app's registry too.
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts a bad request by its error code', async () => {
    const before = valueOf(await scrape(), 'adsmith_errors_total', { code: 'ADS_TEMPLATE_UNKNOWN' }) ?? 0;
    const res = await built.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: TOKEN }, payload: { template_id: '999999', elements: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ADS_TEMPLATE_UNKNOWN');
    const unauthorized = await built.app.inject({ url: '/v1/org', headers: { api_token: 'not-a-token' } });
    expect(unauthorized.statusCode).toBe(401);
    const after = await scrape();
    expect(valueOf(after, 'adsmith_errors_total', { code: 'ADS_TEMPLATE_UNKNOWN' })).toBe(before + 1);
    expect(valueOf(after, 'adsmith_errors_total', { code: 'ADS_UNAUTHORIZED' })).toBeGreaterThanOrEqual(1);
  });
});

describe('/metrics access and scene failures (stand-in render thread)', () => {
  it('counts a failed scene by status and by code; the queue depth counts pending scenes', async () => {
    const { app, token, close } = await startApp({ metrics: { access: { mode: 'public' }, port: null } });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/ads/generate',
        headers: { api_token: token },
        payload: { template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: '__fail__' }] },
      });
      expect(res.statusCode).toBe(200);
      const metrics = parseMetrics((await app.inject('/metrics')).body);
      // The stand-in fails scene 0 and renders scene 1 (it reports no stage times).
      expect(valueOf(metrics, 'adsmith_scenes_total', { status: 'failed' })).toBe(1);
      expect(valueOf(metrics, 'adsmith_scenes_total', { status: 'done' })).toBe(1);
      expect(valueOf(metrics, 'adsmith_errors_total', { code: 'ADS_IMAGE_UNAVAILABLE' })).toBe(1);
      expect(valueOf(metrics, 'adsmith_render_stage_ms_count', { stage: 'layout' })).toBeUndefined();

      // A slow job: its scenes are pending or rendering while it runs.
      const slow = await app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: token }, payload: { template_id: '1061', elements: [{ content_type: 'Heading #1', content: '__sleep:400' }] } });
      expect(slow.statusCode).toBe(200);
      expect(valueOf(parseMetrics((await app.inject('/metrics')).body), 'adsmith_queue_depth')).toBe(2);
    } finally {
      await close();
    }
  });

  it('is absent (404) unless configured, and each app counts in its own registry', async () => {
    const off = await startApp();
    const open = await startApp({ metrics: { access: { mode: 'public' }, port: null } });
    try {
      const res = await off.app.inject('/metrics');
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ADS_ROUTE_NOT_FOUND');
      // The 404 was counted by `off`'s metrics, not by `open`'s.
      expect(valueOf(parseMetrics((await open.app.inject('/metrics')).body), 'adsmith_errors_total', { code: 'ADS_ROUTE_NOT_FOUND' })).toBeUndefined();
    } finally {
      await off.close();
      await open.close();
    }
  });

  it('on ADSMITH_METRICS_PORT: served there only, under the same token, and closed with the app', async () => {
    const port = await freePort();
    const { app, token, close } = await startApp({ host: '127.0.0.1', metrics: { access: { mode: 'token', token: SCRAPE_TOKEN }, port } });
    let closed = false;
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: token }, payload: { template_id: '1061', sync: true, elements: [] } });
      expect(res.statusCode).toBe(200);
      const url = `http://127.0.0.1:${port}/metrics`;
      const scraped = await fetch(url, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(valueOf(parseMetrics(await scraped.text()), 'adsmith_scenes_total', { status: 'done' })).toBe(2);

      const refused = await fetch(url);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ADS_METRICS_UNAUTHORIZED');
      expect((await fetch(`http://127.0.0.1:${port}/v1/org`)).status).toBe(404);
      // Not on the API's port.
      expect((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).statusCode).toBe(404);
      // The refusal and the 404 above were counted.
      const after = parseMetrics(await (await fetch(url, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).text());
      expect(valueOf(after, 'adsmith_errors_total', { code: 'ADS_METRICS_UNAUTHORIZED' })).toBe(1);

      await close();
      closed = true;
      await expect(fetch(url, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } })).rejects.toThrow();
    } finally {
      if (!closed) await close();
    }
  });

  it('reads ADSMITH_METRICS, ADSMITH_METRICS_TOKEN and ADSMITH_METRICS_PORT, refusing bad values by name', () => {
    const off = { mode: 'off' };
    expect(parseMetricsSettings({})).toEqual({ access: off, port: null });
    expect(parseMetricsSettings({ ADSMITH_METRICS: 'public' })).toEqual({ access: { mode: 'public' }, port: null });
    expect(parseMetricsSettings({ ADSMITH_METRICS_TOKEN: SCRAPE_TOKEN, ADSMITH_METRICS_PORT: '9464' })).toEqual({ access: { mode: 'token', token: SCRAPE_TOKEN }, port: 9464 });
    expect(parseMetricsSettings({ ADSMITH_METRICS: 'off', ADSMITH_METRICS_TOKEN: SCRAPE_TOKEN })).toEqual({ access: off, port: null });
    expect(() => parseMetricsSettings({ ADSMITH_METRICS: 'yes' })).toThrow(/ADSMITH_METRICS must be "public".*Got "yes"/);
    expect(() => parseMetricsSettings({ ADSMITH_METRICS_TOKEN: 'short' })).toThrow(/ADSMITH_METRICS_TOKEN must be at least 16 characters/);
    expect(() => parseMetricsSettings({ ADSMITH_METRICS: 'public', ADSMITH_METRICS_PORT: '70000' })).toThrow(/ADSMITH_METRICS_PORT must be a port number from 1 to 65535/);
    expect(() => parseMetricsSettings({ ADSMITH_METRICS_PORT: '9464' })).toThrow(/ADSMITH_METRICS_PORT is set but \/metrics is off: set ADSMITH_METRICS_TOKEN/);
    expect(() => parseMetricsSettings({ ADSMITH_METRICS: 'public', ADSMITH_METRICS_PORT: '8080' })).toThrow(/must differ from PORT \(8080\)/);
  });
});
