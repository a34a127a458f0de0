import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMetadataStore } from '../../src/storage/open.js';
import { PostgresStore } from '../../src/storage/postgres.js';
import { SqliteStore } from '../../src/storage/sqlite.js';

describe('openMetadataStore', () => {
  it('without a database URL: the embedded SQLite file at <dataDir>/adsmith.sqlite', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-open-'));
    for (const databaseUrl of [undefined, '', '  ']) {
      const store = openMetadataStore({ dataDir: dir, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
      expect(store).toBeInstanceOf(SqliteStore);
      await store.migrate();
      await store.close();
    }
    expect(fs.existsSync(path.join(dir, 'adsmith.sqlite'))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a postgres:// or postgresql:// URL: PostgreSQL in the schema asked for', async () => {
    for (const databaseUrl of ['postgres://u:p@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db', 'POSTGRES://u@127.0.0.1:1/db']) {
      const store = openMetadataStore({ databaseUrl, dataDir: '/nonexistent', schema: 'tenant_1' });
      expect(store).toBeInstanceOf(PostgresStore);
      expect((store as unknown as PostgresStore).schema).toBe('tenant_1');
      expect((store as unknown as PostgresStore).target).toBe('127.0.0.1:1/db');
      await store.close();
    }
  });

  it('another scheme is refused with the variable to fix, without echoing the URL', () => {
    expect(() => openMetadataStore({ databaseUrl: 'mysql://root:hunter2@db/ads', dataDir: '/tmp' })).toThrow(/ADSMITH_DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(got a mysql: URL\)/);
    expect(() => openMetadataStore({ databaseUrl: 'mysql://root:hunter2@db/ads', dataDir: '/tmp' })).not.toThrow(/hunter2/);
    expect(() => openMetadataStore({ databaseUrl: 'db.internal:5432', dataDir: '/tmp' })).toThrow(/got a db\.internal: URL|no URL scheme/);
  });
});
