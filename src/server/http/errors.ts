/**
 * How the HTTP layer answers an error: the contract's bodies (a JSON string for 403 and 422, else
 * `{error: {code, message}}`) and Fastify's own errors mapped to the catalogue. The app's error handler and
 * routes that answer errors themselves (jobs, apps, the editor) share it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';
import { noteErrorCode } from '../ops/metrics.js';

/** Statuses whose body is a JSON string in the contract (403, 422); everything else answers `{error: {code, message}}`. */
const STRING_BODY_STATUSES = new Set([403, 422]);

export function sendError(reply: FastifyReply, err: AdsmithError): FastifyReply {
  noteErrorCode(reply, err.code); // counted by /metrics
  void reply.code(err.status).header('cache-control', 'no-store').type('application/json; charset=utf-8');
  if (STRING_BODY_STATUSES.has(err.status)) return reply.send(JSON.stringify(err.message));
  return reply.send({ error: { code: err.code, message: err.message } });
}

/**
 * Fastify's own errors (body parsing, limits, media types) as catalogue errors; null for anything else.
 * `req` lets the answer name the numbers that apply (the route's body limit, the content type sent).
 */
export function mapFastifyError(err: FastifyError, req?: FastifyRequest, limits: { upload?: number } = {}): AdsmithError | null {
  const bodyLimit = req?.routeOptions?.bodyLimit ?? 'the configured number of';
  const upload = limits.upload !== undefined ? `${limits.upload} bytes` : 'the configured number of bytes';
  const contentType = String(req?.headers['content-type'] ?? 'of this body').split(';')[0]!.trim() || 'of this body';
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AdsmithError('ADS_BODY_TOO_LARGE', { limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AdsmithError('ADS_UNSUPPORTED_MEDIA_TYPE', { type: contentType, expected: 'application/json' });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AdsmithError('ADS_BODY_NOT_JSON', { reason: 'the body is empty' });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AdsmithError('ADS_BODY_NOT_JSON', { reason: err.message });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AdsmithError('ADS_UPLOAD_TOO_LARGE', { limit: upload });
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AdsmithError('ADS_UPLOAD_MISSING');
    default:
      break;
  }
  // secure-json-parse (Fastify's JSON parser, where a scope still uses it): valid JSON with a prototype key.
  if (/forbidden prototype property/.test(err.message)) return new AdsmithError('ADS_BODY_FORBIDDEN_KEY', { key: '"__proto__" or "constructor.prototype"', path: 'some level of the body' });
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return new AdsmithError('ADS_BODY_NOT_JSON', { reason: err.message });
  if (err.statusCode === 413) return new AdsmithError('ADS_BODY_TOO_LARGE', { limit: bodyLimit });
  if (err.statusCode === 415) return new AdsmithError('ADS_UNSUPPORTED_MEDIA_TYPE', { type: contentType, expected: 'application/json' });
  return null;
}
