import http from 'node:http';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { checkScrape, SCRAPE_CHALLENGE, type MetricsAccess } from './metrics-access.js';
import type { AppMetrics } from './metrics.js';

/**
 * /metrics on a port of its own (ADSMITH_METRICS_PORT): a bare HTTP server that answers GET /metrics under the
 * same access rule as the API's route and 404 to anything else. A worker node, which has no API listener, is
 * scraped here; so is any node whose figures should stay off the public port.
 */
export class MetricsServer {
  private server: http.Server | null = null;

  constructor(
    private readonly metrics: AppMetrics,
    private readonly access: MetricsAccess,
  ) {}

  /** Listens; a port already taken rejects with an error naming ADSMITH_METRICS_PORT. */
  async listen(port: number, host: string): Promise<void> {
    const server = http.createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(`ADSMITH_METRICS_PORT ${port}: cannot listen on ${host}:${port} (${err.code ?? err.message}).`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) throw new AdsmithError('ADS_ROUTE_NOT_FOUND', { method: req.method ?? 'GET', url: path });
      checkScrape(this.access, req.headers.authorization);
      const { body, contentType } = await this.metrics.scrape();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      const known = isAdsmithError(err) ? err : new AdsmithError('ADS_INTERNAL', { reference: 'metrics' });
      this.metrics.countError(known.code);
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
      if (known.code === 'ADS_METRICS_UNAUTHORIZED') headers['www-authenticate'] = SCRAPE_CHALLENGE;
      res.writeHead(known.status, headers).end(JSON.stringify({ error: { code: known.code, message: known.message } }));
    }
  }
}
