import type { FastifyInstance } from 'fastify';
import { ensureDefaultOrg } from '../admin/index.js';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import type { ServerContext } from './context.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** The port listened on; null for a worker (no HTTP). */
  port: number | null;
  /** Stops taking requests and scenes, finishes or hands back the scenes in flight, closes the stores. */
  stop(): Promise<void>;
}

/** What a service's failure to start looks like to the operator: one line naming it, no stack trace. */
export function startupMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Starts one node of the role in `config.role`: `api` and `all` listen on config.port, `worker` only opens its
 * stores and takes scenes from the queue (no HTTP listener). Every shared service is reached before this
 * resolves, so an unreachable PostgreSQL, Redis or S3 bucket rejects with an error naming it.
 */
export async function startServer(config: ServerConfig, out: (line: string) => void = (l) => console.log(l)): Promise<RunningServer> {
  const { app, ctx } = await buildApp(config);
  let port: number | null = null;
  try {
    if (config.role === 'worker') {
      await app.ready();
    } else {
      const { org, newToken } = await ensureDefaultOrg(ctx.store, config.apiToken);
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      port = typeof address === 'object' && address ? address.port : config.port;
      if (newToken) out(`Created the default organisation (${org.id}). Its API token (shown once, keep it):\n\n  ${newToken}\n`);
      else out(`Default organisation: ${org.id}${config.apiToken ? ' (token from ADSMITH_API_TOKEN)' : ''}.`);
    }
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  out(describeNode(config, port));
  // For process supervisors and tests: the role and the actual port on one machine-readable line.
  out(`ADSMITH_READY ${port !== null ? `port=${port} ` : ''}role=${config.role}`);
  return { app, ctx, port, stop: () => app.close() };
}

/** One line saying what this node is and what it runs on (never a URL: those may hold passwords). */
function describeNode(config: ServerConfig, port: number | null): string {
  const database = config.database.url ? `PostgreSQL${config.database.schema ? ` (schema ${config.database.schema})` : ''}` : `SQLite in ${config.dataDir}`;
  const queue = config.redis ? `BullMQ on Redis (prefix ${config.redis.prefix})` : 'the in-process queue';
  const blobs = config.s3 ? `S3 bucket ${config.s3.bucket}` : `files in ${config.dataDir}`;
  const rendering = config.role === 'api' || config.workers === 0 ? 'no render threads' : `${config.workers} render thread(s)`;
  const http = port !== null ? `API listening on port ${port}; public URL ${config.publicUrl}` : 'no HTTP listener';
  return `Adsmith ${config.role} node: ${http}; ${rendering}; metadata in ${database}; queue ${queue}; images in ${blobs}.`;
}

/**
 * SIGTERM/SIGINT: stop gracefully (no new requests or scenes; the scenes in flight finish or go back to the
 * queue; stores closed), then exit 0. A second signal, or `graceMs` without finishing, exits 1 at once
 * (50 s by default: inside the 60 s that deploy/compose.yaml and the systemd units give a stopping node).
 */
export function stopOnSignals(server: RunningServer, graceMs = 50_000, out: (line: string) => void = (l) => console.log(l)): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    out(`Received ${signal}; finishing the work in flight.`);
    setTimeout(() => {
      out(`Still busy after ${graceMs / 1000} s; exiting.`);
      process.exit(1);
    }, graceMs).unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`adsmith: error while stopping: ${startupMessage(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
