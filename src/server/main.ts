import { loadConfig } from './config.js';
import { startServer, startupMessage, stopOnSignals } from './serve.js';

/**
 * `npm start`: the embedded default (SQLite, files on disk, rendering on worker threads) unless the
 * environment names shared services (ADSMITH_DATABASE_URL, ADSMITH_REDIS_URL, ADSMITH_S3_*) or a role
 * (ADSMITH_ROLE; `adsmith serve --role` is the same with a flag).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(`adsmith: ${startupMessage(err)}`);
    process.exit(2);
  }
  try {
    stopOnSignals(await startServer(config));
  } catch (err) {
    console.error(`adsmith: could not start: ${startupMessage(err)}`);
    process.exit(1);
  }
}

void main();
