/**
 * Small timing helpers for benchmarks: time an async function N times after a
 * warm-up, summarise, and print aligned tables with ratios to a baseline row.
 */
import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Raw samples in ms, in run order. */
  samples: number[];
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export interface TimeOptions {
  warmup?: number;
  iterations?: number;
}

/** Linear-interpolated quantile (q in [0, 1]) of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

export function summarise(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: samples.reduce((s, v) => s + v, 0) / (samples.length || 1),
  };
}

/**
 * Runs `fn` `warmup` times untimed, then `iterations` times timed one after
 * another (never concurrently). Returns the timing and the last result.
 */
export async function timeIt<T>(fn: () => Promise<T>, opts: TimeOptions = {}): Promise<{ timing: Timing; last: T }> {
  const warmup = opts.warmup ?? 3;
  const iterations = opts.iterations ?? 15;
  if (iterations < 1) throw new Error('timeIt: iterations must be >= 1');
  let last: T | undefined;
  for (let i = 0; i < warmup; i++) last = await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    last = await fn();
    samples.push(performance.now() - t0);
  }
  return { timing: summarise(samples), last: last as T };
}

export interface Row {
  name: string;
  timing: Timing;
  /** Extra right-hand columns, already formatted (e.g. output size). */
  extra?: Record<string, string>;
}

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '-');

/**
 * Aligned table: name, median, p95, min (ms), extra columns, and the ratio of
 * each row's median to the baseline row's median ("1.00x" for the baseline).
 * `baseline` is a row name; defaults to the first row.
 */
export function formatTable(rows: readonly Row[], baseline?: string): string {
  const base = rows.find((r) => r.name === baseline) ?? rows[0];
  const extraKeys = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const header = ['renderer', 'median ms', 'p95 ms', 'min ms', ...extraKeys, `vs ${base?.name ?? '-'}`];
  const right = header.map((_, i) => i > 0);
  const body = rows.map((r) => [
    r.name,
    ms(r.timing.median),
    ms(r.timing.p95),
    ms(r.timing.min),
    ...extraKeys.map((k) => r.extra?.[k] ?? ''),
    base ? `${(r.timing.median / base.timing.median).toFixed(2)}x` : '-',
  ]);
  const widths = header.map((hd, i) => Math.max(hd.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}
