import { ensureDefaultOrg } from '../admin/index.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** `npm start`: the embedded default — SQLite, files on disk, rendering on worker threads. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(`adsmith: ${(err as Error).message}`);
    process.exit(2);
  }
  const { app, ctx } = await buildApp(config);
  const { org, newToken } = await ensureDefaultOrg(ctx.store, config.apiToken);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Adsmith API listening on port ${port}; public URL ${config.publicUrl}; data in ${config.dataDir}; ${config.workers} render worker(s).`);
  if (newToken) {
    console.log(`Created the default organisation (${org.id}). Its API token (shown once, keep it):\n\n  ${newToken}\n`);
  } else {
    console.log(`Default organisation: ${org.id}${config.apiToken ? ' (token from ADSMITH_API_TOKEN)' : ''}.`);
  }
  // For process supervisors and tests: the actual port on one machine-readable line.
  console.log(`ADSMITH_READY port=${port}`);
  const stop = (signal: string) => {
    console.log(`Received ${signal}; finishing.`);
    void app.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main().catch((err: unknown) => {
  console.error('adsmith: could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
