import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerAdminCommands } from '../../src/cli/admin-commands.js';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { hashToken } from '../../src/common/ids.js';
import { SqliteStore } from '../../src/storage/sqlite.js';

async function run(store: SqliteStore, argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command('adsmith').exitOverride();
  registerAdminCommands(program, { out: (l) => lines.push(l), openStore: async () => ({ ...bind(store), close: async () => {} }) as never });
  await program.parseAsync(argv, { from: 'user' });
  return lines;
}
// Keep the store open across commands (the real CLI opens and closes it per command).
function bind(store: SqliteStore) {
  const proto = Object.getPrototypeOf(store) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(proto)) if (typeof proto[k] === 'function' && k !== 'constructor') out[k] = (proto[k] as (...a: unknown[]) => unknown).bind(store);
  return out;
}

describe('admin commands', () => {
  it('org create prints a token that authenticates; token create/revoke', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const out = await run(store, ['org', 'create', '--name', 'acme', '--plan', 'pro', '--json']);
    const created = JSON.parse(out[0] as string) as { id: string; token: string; plan: string };
    expect(created.plan).toBe('pro');
    expect(created.token).toMatch(/^ads_[A-Za-z0-9_-]{43}$/);
    expect((await store.findOrgByTokenHash(hashToken(created.token)))?.name).toBe('acme');
    // stored hashed only
    const raw = JSON.stringify(store.db.prepare('SELECT * FROM tokens').all());
    expect(raw).not.toContain(created.token);

    const t2 = await run(store, ['token', 'create', '--org', 'acme', '--label', 'ci']);
    const value = (t2[0] as string).split('\n')[1] as string;
    expect((await store.findOrgByTokenHash(hashToken(value)))?.id).toBe(created.id);
    expect(await run(store, ['token', 'revoke', value])).toEqual(['Revoked.']);
    expect(await store.findOrgByTokenHash(hashToken(value))).toBeNull();
    await expect(run(store, ['token', 'revoke', value])).rejects.toThrow(/nothing was revoked/);
    await expect(run(store, ['org', 'create', '--name', 'x', '--plan', 'gold'])).rejects.toThrow(/Unknown plan "gold"/);
    const list = await run(store, ['token', 'list', '--org', created.id]);
    expect(list.length).toBe(2);
  });

  it('the default organisation is created once; ADSMITH_API_TOKEN is honoured', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const first = await ensureDefaultOrg(store, undefined);
    expect(first.newToken).toMatch(/^ads_/);
    const second = await ensureDefaultOrg(store, 'env-token-0123456789abcdef');
    expect(second.newToken).toBeNull();
    expect(second.org.id).toBe(first.org.id);
    expect((await store.findOrgByTokenHash(hashToken('env-token-0123456789abcdef')))?.id).toBe(first.org.id);
    expect((await store.listOrgs()).length).toBe(1);
  });
});
