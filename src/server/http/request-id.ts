import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The header a caller or a proxy in front of the API may set to name its request; the API echoes it back. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller's id may look like: it goes into every log line of the request and is stored with its jobs. */
const CALLER_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `x-request-id` when it is a plain token of at most 128 characters (so a
 * proxy's id follows the request into the API's and the workers' logs), else a random UUID. Fastify's default,
 * a counter, restarts with each process and repeats across API nodes, so it could not tell requests apart in a
 * deployment's combined logs.
 */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  return given && CALLER_ID.test(given) ? given : randomUUID();
}

/** Every answer names its request id, so a caller can quote it when asking about a request. */
export function registerRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    void reply.header(REQUEST_ID_HEADER, req.id);
  });
}
