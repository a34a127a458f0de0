import type { FastifyInstance } from 'fastify';
import { MODEL_PARTS } from '../../jobs/models-protocol.js';
import type { ServerContext } from '../context.js';
import { checkScrape, SCRAPE_CHALLENGE } from './metrics-access.js';
import { MetricsServer } from './metrics-server.js';
import { errorCodeOf, type AppMetrics } from './metrics.js';

/**
 * Serves the app's metrics as config.metrics says (src/server/ops/metrics-access.ts): GET /metrics on the API's
 * port, or on a port of its own started with the app and closed with it; and counts every error answer by
 * its code. The metrics read the queue depth from the app's store and the model states from its models thread.
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

  const { access, port } = ctx.config.metrics;
  if (access.mode === 'off') return; // no route: 404 like any unknown path
  if (port !== null) {
    // onReady runs for every role, the worker included (it never listens on the API's port).
    const server = new MetricsServer(metrics, access);
    app.addHook('onReady', () => server.listen(port, ctx.config.host));
    app.addHook('onClose', () => server.close());
    return;
  }
  app.get('/metrics', async (req, reply) => {
    try {
      checkScrape(access, req.headers.authorization);
    } catch (err) {
      void reply.header('www-authenticate', SCRAPE_CHALLENGE);
      throw err;
    }
    const { body, contentType } = await metrics.scrape();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}
