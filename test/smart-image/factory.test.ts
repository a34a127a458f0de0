import { describe, expect, it } from 'vitest';
import { createSmartImageService, smartImageConfigFromEnv, SmartImageConfigError } from '../../src/smart-image/factory.js';
import { OfflineSmartImageService } from '../../src/smart-image/service.js';

function errorOf(env: NodeJS.ProcessEnv): SmartImageConfigError {
  try {
    smartImageConfigFromEnv(env);
  } catch (e) {
    if (e instanceof SmartImageConfigError) return e;
    throw e;
  }
  throw new Error('expected a SmartImageConfigError');
}

describe('smartImageConfigFromEnv', () => {
  it('defaults to offline with the documented limits and no loopback', () => {
    const c = smartImageConfigFromEnv({});
    expect(c.provider).toBe('offline');
    expect(c.remote).toEqual({ timeoutMs: 30_000, retries: 2, backoffMs: 500, maxTotalMs: 90_000, maxResultBytes: 25 * 1024 * 1024, allowLoopback: false, cooldownMs: 60_000 });
    expect(c.bria).toBeUndefined();
    expect(c.openai).toBeUndefined();
  });

  it('reads bria and openai settings, trimming trailing slashes', () => {
    const b = smartImageConfigFromEnv({ ADSMITH_SMART_IMAGE_PROVIDER: 'Bria', ADSMITH_BRIA_API_TOKEN: 'tok', ADSMITH_BRIA_BASE_URL: 'http://127.0.0.1:9/' });
    expect(b.provider).toBe('bria');
    expect(b.bria).toEqual({ baseUrl: 'http://127.0.0.1:9', apiToken: 'tok' });
    const o = smartImageConfigFromEnv({ ADSMITH_SMART_IMAGE_PROVIDER: 'openai', ADSMITH_OPENAI_API_KEY: 'k', ADSMITH_SMART_IMAGE_TIMEOUT_MS: '2000', ADSMITH_SMART_IMAGE_ALLOW_LOOPBACK: '1' });
    expect(o.openai).toEqual({ baseUrl: 'https://api.openai.com/v1', apiKey: 'k', model: 'gpt-image-1' });
    expect(o.remote.timeoutMs).toBe(2000);
    expect(o.remote.allowLoopback).toBe(true);
  });

  it.each([
    [{ ADSMITH_SMART_IMAGE_PROVIDER: 'dalle' }, 'ADSMITH_SMART_IMAGE_PROVIDER', /offline, bria, openai/],
    [{ ADSMITH_SMART_IMAGE_PROVIDER: 'bria' }, 'ADSMITH_BRIA_API_TOKEN', /required/],
    [{ ADSMITH_SMART_IMAGE_PROVIDER: 'openai' }, 'ADSMITH_OPENAI_API_KEY', /required/],
    [{ ADSMITH_SMART_IMAGE_PROVIDER: 'bria', ADSMITH_BRIA_API_TOKEN: 't', ADSMITH_BRIA_BASE_URL: 'engine.bria' }, 'ADSMITH_BRIA_BASE_URL', /absolute http/],
    [{ ADSMITH_SMART_IMAGE_PROVIDER: 'openai', ADSMITH_OPENAI_API_KEY: 'k', ADSMITH_OPENAI_BASE_URL: 'ftp://x' }, 'ADSMITH_OPENAI_BASE_URL', /http or https/],
    [{ ADSMITH_SMART_IMAGE_TIMEOUT_MS: '3s' }, 'ADSMITH_SMART_IMAGE_TIMEOUT_MS', /whole number/],
    [{ ADSMITH_SMART_IMAGE_RETRIES: '-1' }, 'ADSMITH_SMART_IMAGE_RETRIES', /0 to 10/],
    [{ ADSMITH_SMART_IMAGE_ALLOW_LOOPBACK: 'maybe' }, 'ADSMITH_SMART_IMAGE_ALLOW_LOOPBACK', /1\/true\/yes/],
    [{ ADSMITH_CUTOUT_VARIANT: 'large' }, 'ADSMITH_CUTOUT_VARIANT', /small or medium/],
    [{ ADSMITH_CUTOUT_GRAPH: 'max' }, 'ADSMITH_CUTOUT_GRAPH', /disabled, basic, extended, all/],
  ])('rejects %j naming %s', (env, variable, text) => {
    const e = errorOf(env);
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(variable);
    expect(e.message).toMatch(text);
  });

  it('never echoes a secret in an error about another variable', () => {
    const e = errorOf({ ADSMITH_SMART_IMAGE_PROVIDER: 'bria', ADSMITH_BRIA_API_TOKEN: 'sekrit-123', ADSMITH_BRIA_BASE_URL: 'nope' });
    expect(e.message).not.toContain('sekrit-123');
  });
});

describe('createSmartImageService', () => {
  it('builds the offline service by default', () => {
    const s = createSmartImageService(smartImageConfigFromEnv({ ADSMITH_CUTOUT_VARIANT: 'small', ADSMITH_CUTOUT_THREADS: '1', ADSMITH_CUTOUT_GRAPH: 'all' }));
    expect(s).toBeInstanceOf(OfflineSmartImageService);
    expect(s.cutout.options.variant).toBe('small');
    expect(s.cutout.options.threads).toBe(1);
    expect(s.cutout.options.session).toEqual({ graphOptimizationLevel: 'all' });
  });
});
