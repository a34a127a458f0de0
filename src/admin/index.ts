import { hashToken, newApiToken, newId, newWebhookSecret } from '../common/ids.js';
import { isPlanName, PLANS } from '../common/plans.js';
import type { MetadataStore, Org, PlanName } from '../storage/types.js';

/**
 * Organisation and token administration, shared by `npm start` (default org),
 * the CLI (`adsmith org create | token create | token revoke`) and tests.
 * Tokens are shown once, at creation; only their sha256 is stored.
 */

export class AdminError extends Error {}

export async function createOrg(store: MetadataStore, opts: { name: string; plan?: string; token?: string }): Promise<{ org: Org; token: string }> {
  const plan = opts.plan ?? 'free';
  if (!isPlanName(plan)) throw new AdminError(`Unknown plan "${plan}". Plans: ${Object.keys(PLANS).join(', ')}.`);
  const name = opts.name.trim();
  if (!name || name.length > 200) throw new AdminError('The organisation name must be 1 to 200 characters.');
  const org = await store.createOrg({ id: newId('org'), name, plan: plan as PlanName, webhookSecret: newWebhookSecret() });
  const token = await createToken(store, org.id, { label: 'initial', ...(opts.token ? { token: opts.token } : {}) });
  return { org, token: token.token };
}

export async function createToken(store: MetadataStore, orgId: string, opts: { label?: string; token?: string } = {}): Promise<{ id: string; token: string }> {
  const org = (await store.getOrg(orgId)) ?? (await store.listOrgs()).find((o) => o.name === orgId) ?? null;
  if (!org) throw new AdminError(`No organisation "${orgId}". List them with \`adsmith org list\`.`);
  const token = opts.token ?? newApiToken();
  if (token.length < 16) throw new AdminError('A token must be at least 16 characters.');
  const id = newId('tok');
  await store.addToken({ id, orgId: org.id, hash: hashToken(token), label: opts.label ?? '' });
  return { id, token };
}

/** Revokes by token id (`tok_…`) or by the token itself. */
export async function revokeToken(store: MetadataStore, idOrToken: string): Promise<boolean> {
  if (await store.revokeToken(idOrToken)) return true;
  return store.revokeToken(hashToken(idOrToken));
}

export async function listOrgs(store: MetadataStore): Promise<Org[]> {
  return store.listOrgs();
}

/**
 * First start: creates the default organisation (plan `unlimited`) with
 * ADSMITH_API_TOKEN or a new token. Later starts: makes sure ADSMITH_API_TOKEN,
 * if set, belongs to the default organisation. Returns the token only when it
 * was just generated (to print once).
 */
export async function ensureDefaultOrg(store: MetadataStore, envToken: string | undefined): Promise<{ org: Org; newToken: string | null }> {
  const existingId = await store.getSetting('default_org_id');
  const existing = existingId ? await store.getOrg(existingId) : null;
  if (existing) {
    if (envToken && !(await store.findOrgByTokenHash(hashToken(envToken)))) {
      await createToken(store, existing.id, { label: 'ADSMITH_API_TOKEN', token: envToken });
    }
    return { org: existing, newToken: null };
  }
  const { org, token } = await createOrg(store, { name: 'default', plan: 'unlimited', ...(envToken ? { token: envToken } : {}) });
  const winner = await store.initSetting('default_org_id', org.id);
  const final = (await store.getOrg(winner)) as Org;
  return { org: final, newToken: envToken || winner !== org.id ? null : token };
}
