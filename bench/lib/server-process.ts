/**
 * A real `src/server/main.ts` process for benchmarks: ephemeral loopback port,
 * temp data dir, its memory read from /proc; plus the client loop every server
 * bench measures (POST generate → poll every result URL until it answers 200
 * with a body). Loopback only; polls are bounded by `hardStop`.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerChild, stopServerChild } from '../../test/helpers/server-process.js';

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  token: string;
  /** Peak resident set size so far (VmHWM), MB. */
  peakRssMb(): number;
  /** Current resident set size (VmRSS), MB. */
  rssMb(): number;
  /** Current resident anonymous memory (RssAnon: heaps, buffers) and file-backed pages (RssFile: mapped files), MB. */
  rssSplitMb(): { anon: number; file: number };
  stop(): Promise<void>;
}

export function procStatusMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS' | 'RssAnon' | 'RssFile'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

export async function startServerProcess(env: Record<string, string> = {}, token = 'bench-token-0123456789abcdef'): Promise<ServerProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-bench-'));
  const { child, base } = await startServerChild({ dataDir, env: { ADSMITH_API_TOKEN: token, ...env }, timeoutMs: 30_000 });
  // Show what the server reports on stderr (errors) while the bench runs.
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(d));
  return {
    base,
    child,
    token,
    peakRssMb: () => procStatusMb(child.pid, 'VmHWM'),
    rssMb: () => procStatusMb(child.pid, 'VmRSS'),
    rssSplitMb: () => ({ anon: procStatusMb(child.pid, 'RssAnon'), file: procStatusMb(child.pid, 'RssFile') }),
    stop: async () => {
      await stopServerChild(child, 'SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Nearest-rank percentile (p in 0…100). */
export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number) : NaN;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POST a generate body, then poll every result URL (every 50 ms) until each answers 200 with bytes. Returns the wall time and the response. */
export async function generateAndFetchAll(server: Pick<ServerProcess, 'base' | 'token'>, body: object, hardStop: number): Promise<{ ms: number; scenes: number; requestId: string }> {
  const t0 = performance.now();
  const res = await fetch(`${server.base}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: server.token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`generate answered ${res.status}: ${await res.text()}`);
  const json = (await res.json()) as { request_id: string; result: Array<{ url: string }> };
  await Promise.all(
    json.result.map(async (r) => {
      const url = `${server.base}${new URL(r.url).pathname}`;
      for (;;) {
        const got = await fetch(url);
        const bytes = await got.arrayBuffer();
        if (got.status === 200 && bytes.byteLength > 0) return;
        if (got.status !== 202) throw new Error(`${url} answered ${got.status}`);
        if (Date.now() > hardStop) throw new Error('bench time limit');
        await sleep(50);
      }
    }),
  );
  return { ms: performance.now() - t0, scenes: json.result.length, requestId: json.request_id };
}

/** Probes /healthz every `everyMs` until stopped; returns the latencies. */
export function probeHealth(server: ServerProcess, everyMs = 20): { stop: () => Promise<number[]> } {
  const samples: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = performance.now();
      await (await fetch(`${server.base}/healthz`)).arrayBuffer();
      samples.push(performance.now() - t);
      await sleep(everyMs);
    }
  })();
  return {
    stop: async () => {
      on = false;
      await loop;
      return samples;
    },
  };
}
