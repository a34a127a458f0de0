import { spawn, type ChildProcess } from 'node:child_process';
import { connectRedis } from '../../src/jobs/redis-client.js';
import { freePort } from '../../src/cli/batch/embedded.js';

/**
 * A Redis server of the test's own (`redis-server` on 127.0.0.1, a free port, no persistence), for tests that
 * stop Redis: the machine's shared Redis is used by other tests at the same time and must not be touched.
 * `kill()` is SIGKILL (everything it held is gone, as after a crash of a Redis without persistence);
 * `start()` runs it again, empty, on the same port.
 */
export interface PrivateRedis {
  port: number;
  url: string;
  kill(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}


export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (err) => reject(new Error(`redis-server could not be started (${err.message}): install Redis (apt-get install redis-server).`)));
    });
    child = proc;
    // connectRedis waits (up to its timeout) until the server answers a ping.
    const probe = await Promise.race([connectRedis(url, { name: 'adsmith-test-private-redis', timeoutMs: 10_000 }), failed]);
    await probe.quit();
  };

  const kill = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return { port, url, kill, start, close: kill };
}
