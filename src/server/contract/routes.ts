import type { FastifyInstance } from 'fastify';
import { toContractTemplate } from '../../engine/model/contract.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError } from '../../errors/catalogue.js';
import type { JobRecord } from '../../storage/types.js';
import { authenticate, type ServerContext } from '../context.js';
import { acceptGenerate } from './generate.js';
import { generateResponse, statusUrl } from './views.js';

/** Waits until the job is final or `seconds` pass; true when final. */
export async function waitForFinal(ctx: ServerContext, jobId: string, seconds: number): Promise<JobRecord | null> {
  const isFinal = async () => {
    const job = await ctx.store.getJob(jobId);
    return job && job.status !== 'IN_PROGRESS' ? job : null;
  };
  const done = await isFinal();
  if (done) return done;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (job: JobRecord | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      unsubscribe();
      resolve(job);
    };
    const unsubscribe = ctx.events.subscribe(jobId, (e) => {
      if (e.type === 'final') void isFinal().then((j) => j && finish(j));
    });
    const poll = setInterval(() => void isFinal().then((j) => j && finish(j)), 1000);
    const timer = setTimeout(() => finish(null), seconds * 1000);
  });
}

/**
 * `?include=public` on the list endpoints: the public templates and brands first,
 * then the caller's private ones (the contract's lists hold only the private ones,
 * so that stays the default). Any other value is a 400 that says what to send.
 */
function includesPublic(query: unknown): boolean {
  const include = (query as Record<string, unknown> | undefined)?.['include'];
  if (include === undefined) return false;
  if (include === 'public') return true;
  throw new AdsmithError('ADS_BAD_REQUEST', { field: 'include', problem: `"${String(include)}" is not known: send include=public to list the public ones too, or leave it out for the contract's list of your private ones.` });
}

/** The four contract endpoints: generate, brands, templates, template by id. */
export function registerAdsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/ads/generate', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const keyHeader = req.headers['idempotency-key'];
    const key = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) ?? null;
    const { job, created } = await acceptGenerate(ctx, org, req.body, key, req.id);
    if (!created) void reply.header('idempotent-replayed', 'true');
    let final = job;
    if ((job.request as { sync?: boolean }).sync === true) {
      const done = await waitForFinal(ctx, job.id, ctx.config.syncTimeout);
      if (!done) throw new AdsmithError('ADS_SYNC_TIMEOUT', { job: job.id, seconds: ctx.config.syncTimeout, status_url: statusUrl(ctx, job.id) });
      final = done;
    }
    const scenes = await ctx.store.getScenes(job.id);
    return reply.code(200).send({ ...generateResponse(ctx, final, scenes), status: final.status });
  });

  app.get('/v1/ads/brands', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const withPublic = includesPublic(req.query);
    const brands = await ctx.store.listAssets(org.id, 'brand');
    const mine = brands.map((b) => ({ id: b.id, name: b.name, description: b.description, created_at: b.createdAt, ...(withPublic ? { public: false } : {}) }));
    if (!withPublic) return mine;
    const pub = ctx.engine.publicBrands().map((b) => ({ id: Number(b.id), name: b.name, description: b.description, created_at: b.created_at ?? '', public: true }));
    return [...pub, ...mine];
  });

  app.get('/v1/ads/templates', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const withPublic = includesPublic(req.query);
    const summary = (doc: TemplateDocument, id: number, name: string, description: string, createdAt: string, isPublic: boolean) => ({
      id,
      name,
      description,
      created_at: createdAt,
      number_of_ads: doc.scenes.length,
      preview: doc.preview ?? '',
      // Beyond the contract, only when asked for: a client can tell public from private and disable the brand choice.
      ...(withPublic ? { public: isPublic, requires_brand: doc.requires_brand } : {}),
    });
    const templates = await ctx.store.listAssets(org.id, 'template');
    const mine = templates.map((t) => summary(t.document as TemplateDocument, t.id, t.name, t.description, t.createdAt, false));
    if (!withPublic) return mine;
    const pub = ctx.engine.publicTemplates().map((t) => summary(t, Number(t.id), t.name, t.description, t.created_at ?? '', true));
    return [...pub, ...mine];
  });

  app.get<{ Params: { template_id: string } }>('/v1/ads/templates/:template_id', async (req, reply) => {
    const org = await authenticate(ctx, req, reply);
    const id = req.params.template_id;
    // The contract serves private templates; the public ones are listed too so that their element ids can be read.
    const pub = ctx.engine.publicTemplates().find((t) => t.id === id);
    if (pub) return toContractTemplate(pub);
    const rec = /^\d{1,12}$/.test(id) ? await ctx.store.getAsset(org.id, 'template', Number(id)) : null;
    if (!rec) throw new AdsmithError('ADS_NOT_FOUND', { what: `Template ${JSON.stringify(id)}` });
    return toContractTemplate(rec.document as TemplateDocument);
  });
}
