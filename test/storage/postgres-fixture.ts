import pg from 'pg';
import { describePostgresTarget, reasonOf } from '../../src/storage/postgres-errors.js';

/** The PostgreSQL the tests use: the CI machine's (trust auth, database `test`), or ADSMITH_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env['ADSMITH_TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A small pool for the tests' own statements (dropping schemas, terminating backends). Throws, failing the test
 * file, with how to start PostgreSQL when it cannot be reached: these tests never skip silently.
 */
export async function connectTestDatabase(): Promise<pg.Pool> {
  const admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, connectionTimeoutMillis: 5000 });
  admin.on('error', () => {});
  try {
    await admin.query('SELECT 1');
  } catch (err) {
    await admin.end().catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${describePostgresTarget(TEST_DATABASE_URL)} (${reasonOf(err)}). These tests need it: ` +
        `start it with 'pg_ctlcluster --skip-systemctl-redirect 15 main start' (Debian; .ci/run does this) and create the database ` +
        `with 'createdb -h 127.0.0.1 -U postgres test', or set ADSMITH_TEST_DATABASE_URL to a server you can use.`,
    );
  }
  return admin;
}
