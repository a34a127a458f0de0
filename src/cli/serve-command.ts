import { parseRole } from '../server/config-services.js';
import { CliError } from './errors.js';

/**
 * `adsmith serve --role api|worker|all`: the server, as `npm start` runs it, in one role. The configuration
 * comes from the environment (loadConfig); --role and --port override ADSMITH_ROLE and PORT. Start-up
 * failures (bad configuration, an unreachable PostgreSQL, Redis or S3 bucket) are one line and a non-zero exit.
 */
export async function serveCommand(opts: { role?: string; port?: string }): Promise<void> {
  let config;
  try {
    const role = opts.role !== undefined ? parseRole(opts.role, '--role') : undefined;
    const port = opts.port !== undefined ? Number(opts.port) : undefined;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be a port number (0-65535), got "${opts.port}"`);
    const { loadConfig } = await import('../server/config.js');
    config = loadConfig(process.env, { ...(role ? { role } : {}), ...(port !== undefined ? { port } : {}) });
  } catch (err) {
    throw new CliError('input', err instanceof Error ? err.message : String(err));
  }
  // Loaded here: the other commands do not pay for the server's modules.
  const { startServer, stopOnSignals } = await import('../server/serve.js');
  try {
    stopOnSignals(await startServer(config));
  } catch (err) {
    throw new CliError('failure', `could not start: ${err instanceof Error ? err.message : String(err)}`);
  }
}
