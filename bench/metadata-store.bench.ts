/**
 * The metadata store's share of a scene's cost: claimScene + finishScene for every scene of a queue, on SQLite
 * (in memory) and on PostgreSQL (a fresh schema, dropped afterwards), with 1 claimer and then with several at once
 * (what several worker processes do to one database). Prints scenes/s and mean milliseconds per claim and finish.
 * The machine's load average is printed with it: on a shared 2-core machine the PostgreSQL figures move by ±40 %.
 *
 *   npx tsx bench/metadata-store.bench.ts [--scenes 400] [--claimers 4] [--url postgres://postgres@127.0.0.1:5432/test]
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresStore } from '../src/storage/postgres.js';
import { SqliteStore } from '../src/storage/sqlite.js';
import type { MetadataStore, NewJob } from '../src/storage/types.js';

const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: '400' },
    claimers: { type: 'string', default: '4' },
    url: { type: 'string', default: process.env['ADSMITH_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const SCENES = Number(values.scenes);
const JOBS = 8;

const newJob = (id: string, scenes: number): NewJob => ({
  id,
  orgId: 'org_bench',
  request: {},
  template: { id: '1061' },
  brand: null,
  templateRef: { kind: 'public', id: '1061', version: 1 },
  brandRef: null,
  output: { format: 'png', scale: 1 },
  webhookUrl: null,
  idempotencyKey: null,
  requestHash: null,
  scenes: Array.from({ length: scenes }, (_, i) => ({ index: i, token: `${id}-${i}-${randomBytes(8).toString('hex')}`, key: `s${i}`, name: 's', width: 1080, height: 1080, format: 'png' })),
});

async function run(label: string, store: MetadataStore, claimers: number): Promise<void> {
  for (let j = 0; j < JOBS; j++) await store.createJob(newJob(`${label}-${claimers}-${j}`, Math.ceil(SCENES / JOBS)), null);
  const fairness = { orgCap: () => Infinity };
  let claimMs = 0;
  let finishMs = 0;
  let scenes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: claimers }, async () => {
      for (;;) {
        const a = performance.now();
        const claimed = await store.claimScene(60_000, 3, undefined, fairness);
        const b = performance.now();
        claimMs += b - a;
        if (!claimed) return;
        await store.finishScene(claimed.scene.jobId, claimed.scene.index, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 1 });
        finishMs += performance.now() - b;
        scenes++;
      }
    }),
  );
  const wall = performance.now() - started;
  console.log(
    `${label.padEnd(8)} claimers=${claimers}: ${scenes} scenes in ${wall.toFixed(0)} ms = ${((scenes / wall) * 1000).toFixed(0)} scenes/s; ` +
      `mean claim ${(claimMs / scenes).toFixed(2)} ms, finish ${(finishMs / scenes).toFixed(2)} ms (load ${os.loadavg()[0]?.toFixed(1)})`,
  );
}

const sqlite = new SqliteStore(':memory:');
await sqlite.migrate();
await sqlite.createOrg({ id: 'org_bench', name: 'bench', plan: 'pro', webhookSecret: 'whsec_x' });
await run('sqlite', sqlite, 1);
await sqlite.close();

const schema = `adsmith_bench_${randomBytes(4).toString('hex')}`;
const postgres = new PostgresStore({ connectionString: values.url, schema, maxConnections: Number(values.claimers) + 1 });
try {
  await postgres.migrate();
  await postgres.createOrg({ id: 'org_bench', name: 'bench', plan: 'pro', webhookSecret: 'whsec_x' });
  await run('postgres', postgres, 1);
  await run('postgres', postgres, Number(values.claimers));
} finally {
  await postgres.close();
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
