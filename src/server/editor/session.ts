import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdsmithError } from '../../errors/catalogue.js';
import type { JobRecord, Org, SceneRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { safeEqual } from '../../common/ids.js';
import { PLANS } from '../../common/plans.js';
import { editorSignature } from '../contract/views.js';

/** The header every editor API call carries: `<job>.<scene 1-based>.<exp>.<sig>`, the parts of the editor link. */
export const EDITOR_SESSION_HEADER = 'x-adsmith-editor';

/** What a valid editor link or session header grants: this one scene of this one job, until `exp`. */
export interface EditorSession {
  job: JobRecord;
  /** 0-based scene index. */
  index: number;
  scene: SceneRecord;
  /** Unix seconds. */
  exp: number;
  /** The job's organisation: uploads and file ownership are checked against it. */
  org: Org;
}

/**
 * Verifies the signed parts of an editor link: the signature first (403, constant-time compare of the HMAC the
 * link was made with, src/server/contract/views.ts), then expiry (410), then that the job and scene exist (404).
 */
export async function verifyEditorLink(ctx: ServerContext, jobId: string, scene: string, exp: string, sig: string): Promise<EditorSession> {
  const index = /^[1-9]\d{0,2}$/.test(scene) ? Number(scene) - 1 : -1;
  const expiry = /^\d{1,12}$/.test(exp) ? Number(exp) : -1;
  const valid = index >= 0 && expiry >= 0 && /^[A-Za-z0-9_-]{1,80}$/.test(jobId) && /^[0-9a-f]{64}$/.test(sig);
  if (!valid || !safeEqual(sig, editorSignature(ctx.editorKey, jobId, index, expiry))) throw new AdsmithError('ADS_EDITOR_LINK_INVALID');
  if (expiry * 1000 < Date.now()) throw new AdsmithError('ADS_EDITOR_LINK_EXPIRED', { expired_at: new Date(expiry * 1000).toISOString() });
  const job = await ctx.store.getJob(jobId);
  const scenes = job ? await ctx.store.getScenes(job.id) : [];
  const found = scenes.find((s) => s.index === index);
  const org = job ? await ctx.store.getOrg(job.orgId) : null;
  if (!job || !found || !org) throw new AdsmithError('ADS_NOT_FOUND', { what: 'This scene' });
  return { job, index, scene: found, exp: expiry, org };
}

/** The session of an editor API call, from its x-adsmith-editor header. */
export async function editorSession(ctx: ServerContext, req: FastifyRequest): Promise<EditorSession> {
  const raw = req.headers[EDITOR_SESSION_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) throw new AdsmithError('ADS_EDITOR_SESSION_MISSING');
  const parts = value.split('.');
  if (parts.length !== 4) throw new AdsmithError('ADS_EDITOR_LINK_INVALID');
  const [job, scene, exp, sig] = parts as [string, string, string, string];
  return verifyEditorLink(ctx, job, scene, exp, sig);
}

/** The organisation's per-minute rate limit, as for API tokens (429 with Retry-After); for the calls that render or store. */
export function takeEditorRate(ctx: ServerContext, session: EditorSession, reply: FastifyReply): void {
  const plan = PLANS[session.org.plan];
  const wait = ctx.limiter.take(session.org.id, plan.perMinute);
  if (wait > 0) {
    void reply.header('Retry-After', String(wait));
    throw new AdsmithError('ADS_RATE_LIMITED', { limit: plan.perMinute, retry_after: wait });
  }
}
