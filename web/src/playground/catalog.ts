import { signal } from '@preact/signals';
import { AuthError, type Adsmith, type BrandSummary, type ContractTemplate, type TemplateSummary } from './api.js';
import { disconnect } from './session.js';

/** Templates and brands the token can use: the public ones, then the organisation's private ones. */
export const templates = signal<TemplateSummary[] | null>(null);
export const brands = signal<BrandSummary[] | null>(null);
export const catalogError = signal<string | null>(null);

/** Contract views of templates (`scene_1: [elements]`, …) by id, read once each. */
export const contracts = signal<Record<string, ContractTemplate>>({});

/** A refused token sends the user back to the prompt with the reason; other errors are shown where they happened. */
export function reportError(err: unknown, where: string): string {
  if (err instanceof AuthError) {
    disconnect('The server refused the saved token (it was revoked, or this is another server). Paste a current one.');
    return '';
  }
  return `${where}: ${(err as Error).message}`;
}

export async function loadCatalog(client: Adsmith): Promise<void> {
  catalogError.value = null;
  try {
    const [t, b] = await Promise.all([client.templates.list({ include: 'public' }), client.brands.list({ include: 'public' })]);
    templates.value = t;
    brands.value = b;
  } catch (err) {
    catalogError.value = reportError(err, 'Could not list the templates and brands');
  }
}

const pending = new Map<string, Promise<ContractTemplate>>();

/** The contract view of one template (its slots and scene sizes), fetched once. */
export function loadContract(client: Adsmith, id: string): Promise<ContractTemplate> {
  let p = pending.get(id);
  if (!p) {
    p = client.templates.get(id).then((tpl) => {
      contracts.value = { ...contracts.value, [id]: tpl };
      return tpl;
    });
    p.catch(() => pending.delete(id));
    pending.set(id, p);
  }
  return p;
}
