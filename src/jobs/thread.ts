import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

let tsxApiUrl: string | null = null;
function tsxApi(): string {
  // The ESM build of tsx's API (require.resolve finds the CommonJS one, which cannot register ESM hooks here).
  tsxApiUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  return tsxApiUrl;
}

/**
 * Starts a worker thread on `script`. TypeScript sources run through tsx, like the
 * main process (`npm start` uses tsx); `--import tsx` does not reach a worker's
 * entry on Node 20, so the entry registers tsx itself.
 */
export function startThread(script: URL, workerData: unknown): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData });
  return new Worker(
    `import(${JSON.stringify(tsxApi())}).then((m) => { (m.register ?? m.default.register)(); return import(${JSON.stringify(script.href)}); });`,
    { eval: true, workerData },
  );
}

/**
 * Lowers the CPU priority of the calling thread (Linux: setpriority on this
 * thread's id), so that /healthz, result URLs and new requests stay quick while
 * every core renders or runs a model. Threads this thread starts afterwards
 * (ONNX Runtime's pool) inherit it. Elsewhere, or when not permitted, nothing
 * changes.
 */
export function lowerThisThreadPriority(niceness: number): void {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, niceness);
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}
