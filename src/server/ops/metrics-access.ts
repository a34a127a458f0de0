import { createHash, timingSafeEqual } from 'node:crypto';
import { AdsmithError } from '../../errors/catalogue.js';

/**
 * Who may read GET /metrics (loadConfig reads it from the environment):
 * - `off` (the default): there is no /metrics (404), so nothing about the deployment leaks by accident;
 * - `token` (ADSMITH_METRICS_TOKEN=<secret>): Prometheus sends `Authorization: Bearer <secret>`;
 * - `public` (ADSMITH_METRICS=public): anyone who reaches the port, for a port only the scraper can reach.
 * Organisation API tokens never open it: the figures are the whole deployment's, not one organisation's.
 */
export type MetricsAccess = { mode: 'off' } | { mode: 'public' } | { mode: 'token'; token: string };

export interface MetricsSettings {
  access: MetricsAccess;
  /**
   * ADSMITH_METRICS_PORT: serve /metrics on this port of its own (and not on the API's), for a worker node,
   * which has no HTTP listener, and for keeping the figures off the public port. null: on the API's port.
   */
  port: number | null;
}

/** A scrape token shorter than this is refused at start-up: it is the only thing guarding the figures. */
const MIN_TOKEN_LENGTH = 16;

/** ADSMITH_METRICS (`public` | `off`), ADSMITH_METRICS_TOKEN and ADSMITH_METRICS_PORT; throws naming the variable and what to set. */
export function parseMetricsSettings(env: Record<string, string | undefined>): MetricsSettings {
  const access = parseAccess(env);
  const rawPort = (env['ADSMITH_METRICS_PORT'] ?? '').trim();
  if (rawPort === '') return { access, port: null };
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ADSMITH_METRICS_PORT must be a port number from 1 to 65535, got "${rawPort.slice(0, 20)}".`);
  if (access.mode === 'off') throw new Error('ADSMITH_METRICS_PORT is set but /metrics is off: set ADSMITH_METRICS_TOKEN (a bearer token for the scraper) or ADSMITH_METRICS=public.');
  if (String(port) === (env['PORT'] ?? '8080').trim()) throw new Error(`ADSMITH_METRICS_PORT must differ from PORT (${port}): leave it unset to serve /metrics on the API's port.`);
  return { access, port };
}

function parseAccess(env: Record<string, string | undefined>): MetricsAccess {
  const mode = (env['ADSMITH_METRICS'] ?? '').trim().toLowerCase();
  const token = (env['ADSMITH_METRICS_TOKEN'] ?? '').trim();
  if (mode !== '' && mode !== 'public' && mode !== 'off') {
    throw new Error(`ADSMITH_METRICS must be "public" (serve /metrics without a token) or "off"; leave it unset and set ADSMITH_METRICS_TOKEN to require a bearer token. Got "${mode.slice(0, 20)}".`);
  }
  if (mode === 'public') return { mode: 'public' };
  if (mode === 'off' || token === '') return { mode: 'off' };
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`ADSMITH_METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -hex 24).`);
  return { mode: 'token', token };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Lets a scrape through or throws ADS_METRICS_UNAUTHORIZED. `authorization` is the request's Authorization
 * header; the token is compared in constant time (as hashes: equal lengths whatever was sent).
 */
export function checkScrape(access: MetricsAccess, authorization: string | undefined): void {
  if (access.mode !== 'token') return;
  const match = /^bearer\s+(.+)$/i.exec((authorization ?? '').trim());
  if (match === null || !timingSafeEqual(digest(match[1]!.trim()), digest(access.token))) throw new AdsmithError('ADS_METRICS_UNAUTHORIZED');
}

/** The challenge sent with a refused scrape. */
export const SCRAPE_CHALLENGE = 'Bearer realm="metrics"';
