import type { FastifyInstance } from 'fastify';
import { AdsmithError } from '../errors/catalogue.js';
import { MODEL_PARTS } from '../jobs/models-protocol.js';
import type { ServerContext } from './context.js';
import { hasScrapeToken } from './metrics-access.js';
import { errorCodeOf, type AppMetrics } from './metrics.js';

/**
 * GET /metrics (Prometheus text format) as config.metrics allows (src/server/metrics-access.ts), and the hook
 * that counts every error answer by its code. The metrics read the queue depth from the app's store and the
 * model states from its models thread.
 */
export function registerMetricsRoutes(app: FastifyInstance, ctx: ServerContext, metrics: AppMetrics): void {
  metrics.watch({
    pendingScenes: () => ctx.store.countPendingScenes(),
    modelStates: () => MODEL_PARTS.map((model) => ({ model, state: ctx.models ? ctx.models.status(model).state : 'failed' })),
  });
  app.addHook('onResponse', async (_req, reply) => {
    const code = errorCodeOf(reply);
    if (code) metrics.countError(code);
  });

  const access = ctx.config.metrics;
  if (access.mode === 'off') return; // no route: 404 like any unknown path
  app.get('/metrics', async (req, reply) => {
    if (access.mode === 'token' && !hasScrapeToken(req, access.token)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AdsmithError('ADS_METRICS_UNAUTHORIZED');
    }
    const { body, contentType } = await metrics.scrape();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
