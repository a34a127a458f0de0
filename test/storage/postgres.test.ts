import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/storage/postgres.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres-migrations.js';
import type { ClaimedScene } from '../../src/storage/types.js';
import { claimSceneAtConformance } from './claim-scene-at.js';
import { storeConformance } from './conformance.js';
import { newJob, newOrg } from './fixtures.js';
import { connectTestDatabase, TEST_DATABASE_URL } from './postgres-fixture.js';

/**
 * The conformance suite against PostgreSQL, each store in a fresh random schema dropped afterwards. PostgreSQL must
 * be running (.ci/run starts it): when it is not, these tests fail and say how to start it, rather than skip.
 */
const DATABASE_URL = TEST_DATABASE_URL;
const schemas: string[] = [];
let admin: pg.Pool;

const freshSchema = (): string => {
  const schema = `adsmith_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
};

beforeAll(async () => {
  admin = await connectTestDatabase();
});

afterAll(async () => {
  if (!admin) return;
  for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
  await admin.end();
});

const openPostgres = async (): Promise<PostgresStore> => {
  const s = new PostgresStore({ connectionString: DATABASE_URL, schema: freshSchema() });
  await s.migrate();
  return s;
};

storeConformance('postgres', openPostgres);

claimSceneAtConformance('postgres', async () => {
  const store = await openPostgres();
  return { store, close: () => store.close() };
});

describe('postgres specifics', () => {
  it('two processes migrating a new schema at once both succeed, and each migration is recorded once', async () => {
    const schema = freshSchema();
    const stores = Array.from({ length: 3 }, () => new PostgresStore({ connectionString: DATABASE_URL, schema }));
    await Promise.all(stores.map((s) => s.migrate()));
    await stores[0]?.migrate();
    expect(await stores[0]?.appliedMigrations()).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    const tables = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    expect(Number(tables.rows[0]?.n)).toBeGreaterThanOrEqual(14);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('keeps each store in its own schema', async () => {
    const a = new PostgresStore({ connectionString: DATABASE_URL, schema: freshSchema() });
    const b = new PostgresStore({ connectionString: DATABASE_URL, schema: freshSchema() });
    await a.migrate();
    await b.migrate();
    await newOrg(a, 'org_only_in_a');
    expect(await b.getOrg('org_only_in_a')).toBeNull();
    expect((await a.getOrg('org_only_in_a'))?.id).toBe('org_only_in_a');
    await a.close();
    await b.close();
  });

  it('refuses a schema name it would have to quote', () => {
    for (const schema of ['Public', 'a-b', 'x; DROP TABLE orgs', '1abc', '']) {
      expect(() => new PostgresStore({ connectionString: DATABASE_URL, schema })).toThrow(/schema name/);
    }
  });

  it('worker processes (separate pools) claiming from one queue never share a scene; jobs finish once', async () => {
    const schema = freshSchema();
    const workers = Array.from({ length: 3 }, () => new PostgresStore({ connectionString: DATABASE_URL, schema, maxConnections: 3 }));
    const api = new PostgresStore({ connectionString: DATABASE_URL, schema });
    await api.migrate();
    await newOrg(api, 'org_a');
    await newOrg(api, 'org_b', 'free');
    for (let j = 0; j < 6; j++) await api.createJob(newJob(j % 3 ? 'org_a' : 'org_b', `job_${j}`, 5), null);
    const fairness = { orgCap: (plan: string) => (plan === 'free' ? 1 : Infinity) };
    const claims: ClaimedScene[] = [];
    const finals: string[] = [];
    // Each worker runs two loops at once, claiming and finishing until nothing is left.
    await Promise.all(
      workers.flatMap((w) =>
        [0, 1].map(async () => {
          for (;;) {
            const c = await w.claimScene(60_000, 3, undefined, fairness);
            if (!c) return;
            claims.push(c);
            const res = await w.finishScene(c.scene.jobId, c.scene.index, { status: 'done', blobKey: `k/${c.scene.jobId}/${c.scene.index}`, mimeType: 'image/png', etag: '"e"', size: 1 });
            if (res.becameFinal) finals.push(c.scene.jobId);
          }
        }),
      ),
    );
    const taken = claims.map((c) => `${c.scene.jobId}/${c.scene.index}`);
    expect(new Set(taken).size).toBe(30);
    expect(taken.length).toBe(30);
    expect(finals.sort()).toEqual(['job_0', 'job_1', 'job_2', 'job_3', 'job_4', 'job_5']);
    expect((await api.listJobs('org_a', 10)).every((j) => j.status === 'COMPLETED')).toBe(true);
    await Promise.all([...workers, api].map((s) => s.close()));
  });

  it('returns the same shapes as the SQLite adapter for jsonb documents: nulls, arrays, nested objects', async () => {
    const s = new PostgresStore({ connectionString: DATABASE_URL, schema: freshSchema() });
    await s.migrate();
    await newOrg(s);
    const job = { ...newJob('org_a', 'job_1', 1), request: { a: [1, null, { b: 'c' }], d: null, e: true, n: 0.25 }, template: [1, 2], brand: 'plain string' };
    await s.createJob(job, null);
    expect(await s.getJob('job_1')).toMatchObject({ request: job.request, template: [1, 2], brand: 'plain string', brandRef: null });
    await s.close();
  });
});
