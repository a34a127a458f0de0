import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * A real `src/server/main.ts` process (through tsx, as `npm start` runs it) on
 * an ephemeral port on 127.0.0.1, for tests and benches that need a whole server
 * (kill -9 recovery, memory). Resolves once it prints ADSMITH_READY.
 */
export interface ServerChild {
  child: ChildProcess;
  /** http://127.0.0.1:<port>; empty for a worker node (no HTTP listener). */
  base: string;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** `args`: the script and its arguments (default `src/server/main.ts`; e.g. `src/cli/main.ts serve --role worker`). */
export function startServerChild(opts: { dataDir: string; env?: Record<string, string>; timeoutMs?: number; args?: string[] }): Promise<ServerChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(opts.args ?? ['src/server/main.ts'])], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADSMITH_DATA_DIR: opts.dataDir, ADSMITH_LOG: '0', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), opts.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ADSMITH_READY (?:port=(\d+)|role=worker)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] ? `http://127.0.0.1:${m[1]}` : '', output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}:\n${out}`));
    });
  });
}

/** SIGKILL (or another signal) and wait for the exit; nothing when it already stopped. */
export async function stopServerChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await new Promise((r) => child.once('exit', r));
}
