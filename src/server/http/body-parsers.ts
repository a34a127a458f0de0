import type { FastifyInstance } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';

/**
 * Request-body parsers whose refusals say what to fix.
 *
 * JSON: Fastify's own parser (secure-json-parse) refuses `__proto__` and
 * `constructor.prototype` keys with a SyntaxError, which reads as "the body is
 * not valid JSON" although it is. This parser parses with JSON.parse (which
 * makes such keys ordinary own properties, never prototypes) and then refuses
 * them by name and path.
 *
 * text/plain: Fastify parses it into a string, and the route then says "must
 * be a JSON object" without saying why. A text body is refused here naming
 * the content type received and the one expected; an empty one is no body.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(new AdsmithError('ADS_BODY_NOT_JSON', { reason: 'the body is empty' }), undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      done(new AdsmithError('ADS_BODY_NOT_JSON', { reason: (err as Error).message }), undefined);
      return;
    }
    const bad = forbiddenKey(value);
    if (bad) {
      done(new AdsmithError('ADS_BODY_FORBIDDEN_KEY', { key: JSON.stringify(bad.key), path: bad.path }), undefined);
      return;
    }
    done(null, value);
  });

  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string) === '') {
      done(null, undefined);
      return;
    }
    const type = String(req.headers['content-type'] ?? 'text/plain').split(';')[0]!.trim();
    done(new AdsmithError('ADS_UNSUPPORTED_MEDIA_TYPE', { type, expected: 'a JSON body with Content-Type: application/json' }), undefined);
  });
}

/** The first `__proto__` key, or `constructor` key holding a `prototype`, depth first; its path as `body.a[0].b`. */
export function forbiddenKey(value: unknown): { key: string; path: string } | null {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: 'body' }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
      continue;
    }
    const keys = Object.keys(v);
    for (const key of keys) {
      const child = (v as Record<string, unknown>)[key];
      if (key === '__proto__') return { key, path };
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.prototype.hasOwnProperty.call(child, 'prototype')) return { key: 'constructor.prototype', path };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      stack.push({ v: (v as Record<string, unknown>)[key], path: /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]` });
    }
  }
  return null;
}
