import { Adsmith } from '../client/index.js';
import { CliError } from './errors.js';

export interface ServerOptions {
  server?: string;
  token?: string;
}

/** Where `npm start` listens by default. */
export const DEFAULT_SERVER = 'http://localhost:8080';

/** The server URL: --server, else ADSMITH_SERVER, else undefined (the caller decides the fallback). */
export function serverOf(opts: ServerOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = (opts.server ?? env['ADSMITH_SERVER'] ?? '').trim();
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]/i.test(url)) throw new CliError('input', `--server "${url}" is not an http(s) URL; e.g. --server http://localhost:8080.`);
  return url.replace(/\/+$/, '');
}

/** The API token: --token, else ADSMITH_TOKEN; a missing one is an auth failure (exit 3) that says where to get one. */
export function tokenOf(opts: ServerOptions, server: string, env: NodeJS.ProcessEnv = process.env): string {
  const token = (opts.token ?? env['ADSMITH_TOKEN'] ?? '').trim();
  if (!token) {
    throw new CliError('auth', `No API token for ${server}: pass --token or set ADSMITH_TOKEN (\`npm start\` prints the default organisation's token; \`adsmith org create\` makes others).`);
  }
  return token;
}

/** A client for --server/--token (or their environment variables); the default server is a local `npm start`. */
export function connect(opts: ServerOptions, env: NodeJS.ProcessEnv = process.env): { client: Adsmith; server: string } {
  const server = serverOf(opts, env) ?? DEFAULT_SERVER;
  return { client: new Adsmith({ apiKey: tokenOf(opts, server, env), baseUrl: server, maxRetries: 2 }), server };
}
