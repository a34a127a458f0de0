import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';

/** Where `vite build` (npm install's prepare step) writes the front end. */
export const WEB_DIST = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** The built front end's HTML pages, by name (index = playground, editor, …). */
export function webPage(name: string): string | null {
  const file = `${WEB_DIST}${name}.html`;
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

/** Sends a built page; throws a clear 503 (the error handler answers it) when the front end was never built. */
export function sendWebPage(reply: FastifyReply, name: string, headers: Record<string, string> = {}): FastifyReply {
  const html = webPage(name);
  if (html === null) throw new AdsmithError('ADS_WEB_NOT_BUILT', { page: name });
  void reply.type('text/html; charset=utf-8');
  for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
  return reply.send(html);
}

/** The designer and brand kit pages: their own scripts, styles, fonts and API only (the engine reaches images through the server), framed by no other site. */
const TOOL_PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; img-src 'self' data: blob:; font-src 'self' data: blob:; connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'",
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/**
 * Serves the front end built by Vite: hashed assets under /ui/ (cached for a
 * year, their names change with their content) and the playground at /.
 */
export async function registerWebRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: '/ui/',
    index: false,
    wildcard: true,
    decorateReply: false,
    setHeaders(reply, filePath) {
      if (/[/\\]assets[/\\]/.test(filePath)) void reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  app.get('/', async (_req, reply) => sendWebPage(reply, 'index', { 'cache-control': 'no-cache' }));
  app.get('/designer', async (_req, reply) => sendWebPage(reply, 'designer', TOOL_PAGE_HEADERS));
  app.get('/brands', async (_req, reply) => sendWebPage(reply, 'brands', TOOL_PAGE_HEADERS));
}
