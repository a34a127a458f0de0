import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm start`'s entry as a real process on an ephemeral loopback port: first start prints a token; later starts keep it. */
const ROOT = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(dataDir: string): Promise<{ child: ChildProcess; port: number; out: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ADSMITH_DATA_DIR: dataDir, ADSMITH_LOG: '0', ADSMITH_WORKERS: '1' };
  delete env['ADSMITH_API_TOKEN'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 30_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /ADSMITH_READY port=(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), out: () => out });
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

describe('npm start', () => {
  it('first start creates the default organisation and prints its token once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-start-'));
    const one = await start(dataDir);
    const token = /\n\s+(ads_[A-Za-z0-9_-]{43})\s*\n/.exec(one.out())?.[1];
    expect(token).toBeTruthy();
    const base = `http://127.0.0.1:${one.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/v1/ads/brands`, { headers: { api_token: token as string } })).status).toBe(200);
    await stop(one.child);

    const two = await start(dataDir);
    expect(two.out()).not.toMatch(/ads_[A-Za-z0-9_-]{43}/);
    expect((await fetch(`http://127.0.0.1:${two.port}/v1/ads/templates`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await stop(two.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);
});
