import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BlobStore } from '../blob/types.js';
import { AdsmithError } from '../errors/catalogue.js';
import type { ModelHost } from '../jobs/model-host.js';
import type { InputModeration } from '../jobs/moderation-stage.js';
import type { JobEventBus, JobQueue } from '../jobs/types.js';
import type { MetadataStore, Org } from '../storage/types.js';
import type { ServerConfig } from './config.js';
import type { EngineBindings } from './engine/bindings.js';
import { hashToken } from '../common/ids.js';
import { PLANS, type Feature } from '../common/plans.js';
import type { RateLimiter } from './http/ratelimit.js';
import type { WebhookDispatcher } from './jobs/webhooks.js';

/**
 * INPUT MODERATION SEAM (issue 4): called with every input of a generate request
 * that has `content_moderation: true` (images and texts, in request order)
 * before the job is accepted. Returns the parameter name of the first input
 * that fails, or null. The default is src/jobs/moderation-stage.ts.
 */
export type InputModerator = InputModeration;

export interface ServerContext {
  config: ServerConfig;
  store: MetadataStore;
  blob: BlobStore;
  queue: JobQueue;
  events: JobEventBus;
  engine: EngineBindings;
  webhooks: WebhookDispatcher;
  limiter: RateLimiter;
  editorKey: string;
  inputModerator: InputModerator | null;
  /** The models thread's handle (cut-out and NSFW models): availability checks and /healthz. */
  models: ModelHost | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    org: Org | null;
  }
}

/** The API token from `api_token` or `Authorization: Bearer`. */
export function tokenOf(req: FastifyRequest): string | null {
  const header = req.headers['api_token'] ?? req.headers['api-token'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value) return value.trim();
  const auth = req.headers.authorization;
  if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  return null;
}

/** Authenticates and applies the per-minute rate limit. Throws 401 / 429. */
export async function authenticate(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply): Promise<Org> {
  if (req.org) return req.org;
  const token = tokenOf(req);
  const org = token ? await ctx.store.findOrgByTokenHash(hashToken(token)) : null;
  if (!org) throw new AdsmithError('ADS_UNAUTHORIZED');
  const plan = PLANS[org.plan];
  const wait = ctx.limiter.take(org.id, plan.perMinute);
  if (wait > 0) {
    void reply.header('Retry-After', String(wait));
    throw new AdsmithError('ADS_RATE_LIMITED', { limit: plan.perMinute, retry_after: wait });
  }
  req.org = org;
  return org;
}

export function requireFeature(org: Org, feature: Feature): void {
  if (!PLANS[org.plan].features.has(feature)) throw new AdsmithError('ADS_ACCESS_DENIED', { feature });
}
