import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Who may read GET /metrics (loadConfig reads it from the environment):
 * - `off` (the default): there is no /metrics (404), so nothing about the deployment leaks by accident;
 * - `token` (ADSMITH_METRICS_TOKEN=<secret>): Prometheus sends `Authorization: Bearer <secret>`;
 * - `public` (ADSMITH_METRICS=public): anyone who reaches the port, for a port only the scraper can reach.
 * Organisation API tokens never open it: the figures are the whole deployment's, not one organisation's.
 */
export type MetricsAccess = { mode: 'off' } | { mode: 'public' } | { mode: 'token'; token: string };

/** A scrape token shorter than this is refused at start-up: it is the only thing guarding the figures. */
const MIN_TOKEN_LENGTH = 16;

/** ADSMITH_METRICS (`public` | `off`) and ADSMITH_METRICS_TOKEN; throws naming the variable and what to set. */
export function parseMetricsAccess(env: Record<string, string | undefined>): MetricsAccess {
  const mode = (env['ADSMITH_METRICS'] ?? '').trim().toLowerCase();
  const token = (env['ADSMITH_METRICS_TOKEN'] ?? '').trim();
  if (mode !== '' && mode !== 'public' && mode !== 'off') {
    throw new Error(`ADSMITH_METRICS must be "public" (serve /metrics without a token) or "off"; leave it unset and set ADSMITH_METRICS_TOKEN to require a bearer token. Got "${mode}".`);
  }
  if (mode === 'public') return { mode: 'public' };
  if (mode === 'off' || token === '') return { mode: 'off' };
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`ADSMITH_METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -hex 24).`);
  return { mode: 'token', token };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the request carries the scrape token, compared in constant time (hashes: equal lengths whatever was sent). */
export function hasScrapeToken(req: FastifyRequest, token: string): boolean {
  const auth = req.headers.authorization ?? '';
  const match = /^bearer\s+(.+)$/i.exec(auth.trim());
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}
