import path from 'node:path';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { MetadataStore } from './types.js';

export interface OpenMetadataStoreOptions {
  /** ADSMITH_DATABASE_URL: a postgres:// or postgresql:// URL selects PostgreSQL; absent or empty, the embedded SQLite file. */
  databaseUrl?: string;
  /** The server's data directory: the SQLite file lives at `<dataDir>/adsmith.sqlite`, where the server has always kept it. */
  dataDir: string;
  /** PostgreSQL only: the schema holding the tables (default `public`). */
  schema?: string;
}

/** The file name of the embedded database inside the data directory. */
export const SQLITE_FILE = 'adsmith.sqlite';

/**
 * Opens the metadata store that the configuration names. The store is not migrated yet: the caller runs
 * `migrate()` (the server does at start-up), which is also where an unreachable PostgreSQL is first reported.
 */
export function openMetadataStore(opts: OpenMetadataStoreOptions): MetadataStore {
  const url = opts.databaseUrl?.trim();
  if (url) {
    if (/^postgres(ql)?:\/\//i.test(url)) return new PostgresStore({ connectionString: url, ...(opts.schema ? { schema: opts.schema } : {}) });
    // Only the scheme is shown: the rest of a URL may hold a password.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    throw new Error(
      `ADSMITH_DATABASE_URL must start with postgres:// or postgresql:// (got ${scheme ? `a ${scheme}: URL` : 'no URL scheme'}); leave it unset to use the embedded SQLite database.`,
    );
  }
  return new SqliteStore(path.join(path.resolve(opts.dataDir), SQLITE_FILE));
}
