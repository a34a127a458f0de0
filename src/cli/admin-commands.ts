import path from 'node:path';
import type { Command } from 'commander';
import { openMetadataStore } from '../storage/open.js';
import type { MetadataStore } from '../storage/types.js';
import type { StoreSettings } from '../server/config.js';
import { PLANS } from '../common/plans.js';
import { AdminError, createOrg, createToken, revokeToken } from '../admin/index.js';

/**
 * `adsmith org create|list` and `adsmith token create|revoke|list`, working on
 * the server's metadata store (ADSMITH_DATA_DIR, or --data-dir). Hook into the
 * CLI with `registerAdminCommands(program)`.
 */
export interface AdminIo {
  out: (line: string) => void;
  openStore?: (dataDir: string) => Promise<MetadataStore>;
  /** Where the server keeps its store (default: loadStoreSettings(), from ADSMITH_DATA_DIR and ADSMITH_DATABASE_URL). */
  storeSettings?: StoreSettings;
}

/** The server's own store: PostgreSQL when ADSMITH_DATABASE_URL is set, else the SQLite file in the data directory. */
const openerOf = (settings: StoreSettings) => async (dataDir: string): Promise<MetadataStore> => {
  const { url, schema } = settings.database;
  const store = openMetadataStore({ dataDir: path.resolve(dataDir), ...(url ? { databaseUrl: url } : {}), ...(schema ? { schema } : {}) });
  await store.migrate();
  return store;
};

async function withStore<T>(io: AdminIo, dataDir: string | undefined, fn: (s: MetadataStore) => Promise<T>): Promise<T> {
  // The config module is loaded only when a store is opened (it pulls in the server's settings parsers).
  const settings = io.storeSettings ?? (await import('../server/config.js')).loadStoreSettings();
  const store = await (io.openStore ?? openerOf(settings))(dataDir ?? settings.dataDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerAdminCommands(program: Command, io: AdminIo = { out: (l) => process.stdout.write(`${l}\n`) }): void {
  const dataDirOpt = ['--data-dir <dir>', 'the server data directory (default: ADSMITH_DATA_DIR or ./data)'] as const;
  const org = program.command('org').description('Organisations of the API server.');
  org
    .command('create')
    .description('Create an organisation and print its first API token (shown once).')
    .requiredOption('--name <name>', 'organisation name')
    .option('--plan <plan>', `plan: ${Object.keys(PLANS).join(' | ')}`, 'free')
    .option(...dataDirOpt)
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; plan: string; dataDir?: string; json?: boolean }) => {
      const { org: created, token } = await withStore(io, opts.dataDir, (s) => createOrg(s, { name: opts.name, plan: opts.plan }));
      if (opts.json) io.out(JSON.stringify({ id: created.id, name: created.name, plan: created.plan, token }));
      else io.out(`Created organisation ${created.name} (${created.id}, plan ${created.plan}).\nAPI token (shown once):\n${token}`);
    });
  org
    .command('list')
    .description('List organisations.')
    .option(...dataDirOpt)
    .action(async (opts: { dataDir?: string }) => {
      const orgs = await withStore(io, opts.dataDir, (s) => s.listOrgs());
      for (const o of orgs) io.out(`${o.id}  ${o.name}  ${o.plan}  ${o.requestCount} requests`);
    });

  const token = program.command('token').description('API tokens.');
  token
    .command('create')
    .description('Create another API token for an organisation (id or name) and print it (shown once).')
    .requiredOption('--org <org>', 'organisation id or name')
    .option('--label <label>', 'a note to recognise the token by', '')
    .option(...dataDirOpt)
    .action(async (opts: { org: string; label: string; dataDir?: string }) => {
      const t = await withStore(io, opts.dataDir, (s) => createToken(s, opts.org, { label: opts.label }));
      io.out(`Token ${t.id} (shown once):\n${t.token}`);
    });
  token
    .command('revoke')
    .description('Revoke a token, by its id (tok_…) or by its value.')
    .argument('<token>', 'token id or value')
    .option(...dataDirOpt)
    .action(async (value: string, opts: { dataDir?: string }) => {
      const ok = await withStore(io, opts.dataDir, (s) => revokeToken(s, value));
      if (!ok) throw new AdminError('No active token matches; nothing was revoked.');
      io.out('Revoked.');
    });
  token
    .command('list')
    .description('List the tokens of an organisation (ids and labels; values are never stored).')
    .requiredOption('--org <org>', 'organisation id')
    .option(...dataDirOpt)
    .action(async (opts: { org: string; dataDir?: string }) => {
      const tokens = await withStore(io, opts.dataDir, (s) => s.listTokens(opts.org));
      for (const t of tokens) io.out(`${t.id}  ${t.label || '-'}  created ${t.createdAt}${t.revokedAt ? `  revoked ${t.revokedAt}` : ''}`);
    });
}
