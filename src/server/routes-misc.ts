import type { FastifyInstance } from 'fastify';
import { BrandDocument } from '../engine/model/brand.js';
import { TemplateDocument } from '../engine/model/template.js';
import { AdsmithError } from '../errors/catalogue.js';
import { authenticate, type ServerContext } from './context.js';
import { registerDocsPage } from './pages/docs.js';
import { openApiDocument } from './contract/openapi.js';
import { PLANS } from '../common/plans.js';
import { registerEditorRoutes } from './editor/routes.js';
import { MODEL_PARTS, type PartStatus } from '../jobs/models-protocol.js';

/**
 * /healthz: always HTTP 200 while the process serves, so an orchestrator does not
 * restart a server whose only problem is a missing model (a restart would not
 * bring it back); `status: "degraded"` and the part's `reason` say what does not
 * work. Read from memory: it never waits for a model.
 */
export function healthReport(ctx: ServerContext): { status: 'ok' | 'degraded'; parts: Record<string, { ok: boolean; state: string; reason: string; load_ms?: number }> } {
  const part = (s: PartStatus) => ({ ok: s.ok, state: s.state, reason: s.detail, ...(s.loadMs !== undefined ? { load_ms: s.loadMs } : {}) });
  const parts: Record<string, ReturnType<typeof part>> = {};
  for (const name of MODEL_PARTS) parts[name] = ctx.models ? part(ctx.models.status(name)) : { ok: false, state: 'failed', reason: 'no models thread on this node' };
  parts['text_moderation'] = { ok: true, state: 'ready', reason: 'obscenity (English) with an allow-list' };
  parts['render'] = { ok: true, state: 'ready', reason: ctx.config.workers > 0 ? `${ctx.config.workers} render thread(s)` : 'API-only node (ADSMITH_WORKERS=0): accepts jobs, renders none' };
  return { status: Object.values(parts).every((p) => p.ok) ? 'ok' : 'degraded', parts };
}

export function registerMiscRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send(healthReport(ctx)));
  app.get('/v1/schemas/template.json', async (_req, reply) => reply.type('application/schema+json').send(TemplateDocument));
  app.get('/v1/schemas/brand.json', async (_req, reply) => reply.type('application/schema+json').send(BrandDocument));
  app.get('/openapi.json', async () => openApiDocument(ctx.config.publicUrl));
  registerDocsPage(app, ctx);

  app.get('/v1/org', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const plan = PLANS[org.plan];
    return {
      id: org.id,
      name: org.name,
      plan: org.plan,
      requests_used: org.requestCount,
      requests_total: plan.totalRequests,
      requests_per_minute: plan.perMinute,
      features: [...plan.features],
      webhook_secret: org.webhookSecret,
      created_at: org.createdAt,
    };
  });

  app.get('/v1/webhooks/deliveries', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    return (await ctx.store.listDeliveries(org.id, 100)).map((d) => ({
      id: d.id,
      request_id: d.jobId,
      url: d.url,
      status: d.status,
      attempts: d.attempts,
      next_attempt_at: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      payload: JSON.parse(d.payload) as unknown,
    }));
  });

  app.post<{ Params: { id: string } }>('/v1/webhooks/deliveries/:id/replay', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const d = await ctx.store.getDelivery(req.params.id);
    if (!d || d.orgId !== org.id) throw new AdsmithError('ADS_NOT_FOUND', { what: `Webhook delivery ${JSON.stringify(req.params.id)}` });
    const copy = await ctx.webhooks.replay(d);
    return reply.code(202).send({ id: copy?.id, replay_of: d.id, status: copy?.status ?? 'pending' });
  });

  registerEditorRoutes(app, ctx);
}
