import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/storage/postgres.js';
import { DatabaseUnavailableError, describePostgresTarget, isDatabaseUnavailable } from '../../src/storage/postgres-errors.js';
import { connectTestDatabase, TEST_DATABASE_URL } from './postgres-fixture.js';

/**
 * isDatabaseUnavailable on errors the driver really raises: a refused connection, a server that never answers,
 * a backend an administrator terminated, against request errors that must stay 4xx/5xx bugs, not 503s.
 */
const DATABASE_URL = TEST_DATABASE_URL;

// Some cases use the real server: fail up front, saying how to start it, when it is not there.
beforeAll(async () => {
  await (await connectTestDatabase()).end();
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never says a word (a hung database host). */
const silent: net.Socket[] = [];
const silentServer = net.createServer((socket) => silent.push(socket));
afterAll(async () => {
  for (const s of silent) s.destroy();
  await new Promise<void>((resolve) => silentServer.close(() => resolve()));
});

describe('isDatabaseUnavailable', () => {
  it('a refused connection: the store names PostgreSQL and the host, never the password', async () => {
    const port = await closedPort();
    const store = new PostgresStore({ connectionString: `postgres://adsmith:hunter2-secret@127.0.0.1:${port}/adsmith`, schema: 'x' });
    const err = await store.migrate().then(
      () => null,
      (e: unknown) => e,
    );
    await store.close();
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(isDatabaseUnavailable(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain('PostgreSQL');
    expect(message).toContain(`127.0.0.1:${port}/adsmith`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
    expect(JSON.stringify(err)).not.toContain('hunter2');
    // the driver's own error, before the store rewrites it
    const client = new pg.Client({ connectionString: `postgres://adsmith:hunter2-secret@127.0.0.1:${port}/adsmith` });
    const raw = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(raw)).toBe(true);
  });

  it('a server that accepts but never answers: the pool gives up after its connect timeout', async () => {
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const port = (silentServer.address() as net.AddressInfo).port;
    const store = new PostgresStore({ connectionString: `postgres://u:p@127.0.0.1:${port}/db`, connectTimeoutMs: 300 });
    const started = Date.now();
    const err = await store.getOrg('org_a').then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}/db is unavailable: .*time`));
  });

  it('a backend terminated by an administrator (57P01) is unavailable; request errors are not', async () => {
    const victim = new pg.Client({ connectionString: DATABASE_URL });
    victim.on('error', () => {});
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await victim.connect();
    await admin.connect();
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const sleeping = victim.query('SELECT pg_sleep(10)').then(
      () => null,
      (e: unknown) => e,
    );
    // wait until the sleep is running, then terminate that backend only
    for (let i = 0; i < 50; i++) {
      const r = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%'`, [pid]);
      if (r.rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const terminated = await sleeping;
    expect((terminated as { code?: string }).code).toBe('57P01');
    expect(isDatabaseUnavailable(terminated)).toBe(true);

    const syntax = await admin.query('SELEC 1').then(
      () => null,
      (e: unknown) => e,
    );
    expect((syntax as { code?: string }).code).toBe('42601');
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    await admin.query('CREATE TEMP TABLE u (id int PRIMARY KEY)');
    await admin.query('INSERT INTO u VALUES (1)');
    const duplicate = await admin.query('INSERT INTO u VALUES (1)').then(
      () => null,
      (e: unknown) => e,
    );
    expect((duplicate as { code?: string }).code).toBe('23505');
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    await admin.end();
  });

  it('a database that does not exist is a configuration error naming the server, not an outage', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/adsmith_no_such_database';
    const store = new PostgresStore({ connectionString: url.toString() });
    const err = await store.getSetting('k').then(
      () => null,
      (e: unknown) => e,
    );
    await store.close();
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect((err as Error).message).toMatch(/^PostgreSQL at .+\/adsmith_no_such_database refused the connection: .*does not exist/);
  });

  it('recognises connection-class SQLSTATEs and looks through causes and aggregate errors', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    for (const code of ['08000', '08003', '08006', '08001', '08004', '08P01', '57P01', '57P02', '57P03', '53300', 'ECONNRESET', 'ETIMEDOUT']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    for (const code of ['42601', '23505', '40P01', '22P02', '28P01', '3D000', 'ENOENT']) expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Job job_1 does not exist.'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('describes a server without its credentials', () => {
    expect(describePostgresTarget('postgres://u:secret@db.internal:6543/adsmith')).toBe('db.internal:6543/adsmith');
    expect(describePostgresTarget('postgresql://u@127.0.0.1/test')).toBe('127.0.0.1:5432/test');
    expect(describePostgresTarget('postgres:///adsmith?host=/run/postgresql')).toBe('/run/postgresql:5432/adsmith');
    expect(describePostgresTarget('not a url :secret@')).not.toContain('secret');
  });
});

describe('after an outage', () => {
  it('a store whose connections an administrator terminated reports the outage once, then reconnects', async () => {
    const applicationName = `adsmith-test-${process.pid}-${Date.now()}`;
    const schema = `adsmith_test_outage_${process.pid}_${Date.now()}`;
    const store = new PostgresStore({ connectionString: DATABASE_URL, schema, applicationName, maxConnections: 2 });
    await store.migrate();
    expect(await store.getSetting('adsmith_no_such_setting')).toBeNull();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    // a statement running when its backend is killed fails as unavailable ...
    const running = store.countRequest('org_none', null);
    const slow = (store as unknown as { pool: pg.Pool }).pool.query('SELECT pg_sleep(10)').then(
      () => null,
      (e: unknown) => e,
    );
    await running;
    for (let i = 0; i < 50; i++) {
      const r = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'SELECT pg_sleep%'`, [applicationName]);
      if (r.rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    expect(isDatabaseUnavailable(await slow)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // ... and the next calls get fresh connections: the process did not crash on the idle connections' errors
    expect(await store.getSetting('adsmith_no_such_setting')).toBeNull();
    expect(await store.initSetting('k', 'v')).toBe('v');
    await store.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
});
