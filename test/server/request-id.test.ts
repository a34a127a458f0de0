import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { requestIdOf } from '../../src/server/http/request-id.js';
import { startApp } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The structured lines the app's log function wrote (one JSON object per console.error call). */
function logLines(spy: MockInstance): Array<Record<string, unknown>> {
  return spy.mock.calls.flatMap(([first]) => {
    if (typeof first !== 'string' || !first.startsWith('{')) return [];
    try {
      return [JSON.parse(first) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

describe('request ids: from the request into the job and the scene logs', () => {
  let stderr: MockInstance;
  beforeEach(() => {
    // The app's structured log writes JSON lines to stderr through console.error: read them, keep the test output clean.
    stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => stderr.mockRestore());

  it("every scene log line of a job carries the id of the request that created it (the caller's x-request-id)", async () => {
    const { app, ctx, token, close } = await startApp({ logger: true });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/ads/generate',
        headers: { api_token: token, 'x-request-id': 'lb-7f3a9c.42' },
        payload: { template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: 'Trace me' }] },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-request-id']).toBe('lb-7f3a9c.42');
      const jobId = (res.json() as { request_id: string }).request_id;
      expect((await ctx.store.getJob(jobId))?.requestId).toBe('lb-7f3a9c.42');

      const sceneLines = logLines(stderr).filter((l) => l['msg'] === 'scene outcome' && l['jobId'] === jobId);
      expect(sceneLines.map((l) => l['scene']).sort()).toEqual([0, 1]);
      for (const line of sceneLines) {
        expect(line['requestId']).toBe('lb-7f3a9c.42');
        expect(line['status']).toBe('done');
      }
    } finally {
      await close();
    }
  });

  it('without a usable x-request-id the request gets a UUID, answered in the header and kept with its jobs (batch rows too)', async () => {
    const { app, ctx, token, close } = await startApp();
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/ads/batch',
        headers: { api_token: token, 'x-request-id': 'has spaces and "quotes"' },
        payload: { template_id: '1061', rows: [{ elements: [{ content_type: 'Heading #1', content: 'A' }] }, { elements: [{ content_type: 'Heading #1', content: 'B' }] }] },
      });
      expect(res.statusCode).toBeLessThan(300);
      const requestId = String(res.headers['x-request-id']);
      expect(requestId).toMatch(UUID);
      const rows = await ctx.store.getBatchRows((res.json() as { batch_id: string }).batch_id);
      expect(rows).toHaveLength(2);
      for (const row of rows) expect((await ctx.store.getJob(row.jobId!))?.requestId).toBe(requestId);
    } finally {
      await close();
    }
  });

  it('accepts plain tokens up to 128 characters as ids and nothing else', () => {
    const withHeader = (value: string) => requestIdOf({ headers: { 'x-request-id': value } } as never);
    expect(withHeader('0af7651916cd43dd8448eb211c80319c')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(withHeader('a'.repeat(128))).toBe('a'.repeat(128));
    expect(withHeader('a'.repeat(129))).toMatch(UUID);
    expect(withHeader('')).toMatch(UUID);
    expect(withHeader('line\nbreak')).toMatch(UUID);
    expect(requestIdOf({ headers: {} } as never)).toMatch(UUID);
  });
});
