import { computed, signal } from '@preact/signals';
import { AdsmithError, API_BASE, type BrandSummary } from '../playground/api.js';
import { loadCatalog, reportError } from '../playground/catalog.js';
import { client, token } from '../playground/session.js';
import { fetchBrandDocument } from '../engine-host/index.js';
import { pickProblem, sameBrand, savedBody, sourcesOf, startFrom, storedProblem, uploadMessage, type Brand, type PickKind } from './draft.js';

/**
 * The brand kit editor's state: the brand open (its saved document and the draft being edited) and the
 * files uploaded for the draft. Files are uploaded when picked (the server checks them then, and the
 * preview needs their URLs); the brand changes only when Save sends the whole document in one POST or
 * PUT. Files uploaded for a draft that is discarded, or left out of what was saved, are deleted again.
 */

export interface OpenBrand {
  /** The private brand's id; null for a new brand not saved yet. */
  id: number | null;
  /** Its latest version. */
  version: number | null;
  /** The document as last saved (or as it was started from). */
  saved: Brand;
  /** An earlier version loaded into the draft (saving it makes it the latest again); null: the latest. */
  restoring?: number | null;
}

export const opened = signal<OpenBrand | null>(null);
export const draft = signal<Brand | null>(null);
export const dirty = computed(() => draft.value !== null && opened.value !== null && (opened.value.id === null || !sameBrand(draft.value, opened.value.saved)));
export const saving = signal(false);
/** The last save's outcome, for the status line. */
export const saveStatus = signal<{ kind: 'ok' | 'error'; text: string } | null>(null);

/** URL → file id of files uploaded for the draft and not yet part of a saved version. */
const pendingUploads = new Map<string, string>();

export function edit(change: (doc: Brand) => void): void {
  if (!draft.value) return;
  const next = structuredClone(draft.value);
  change(next);
  draft.value = next;
  saveStatus.value = null;
}

/** Asks before unsaved work is dropped; true when it may go. */
function mayLeave(): boolean {
  return !dirty.value || window.confirm('This brand has unsaved changes. Leave them?');
}

/** Deletes the pending uploads (none of them is named by a saved version) except those in `keep`. */
async function deleteUploads(keep: ReadonlySet<string> = new Set(), keepalive = false): Promise<void> {
  const t = token.value;
  const gone = [...pendingUploads].filter(([url]) => !keep.has(url));
  for (const [url] of gone) pendingUploads.delete(url);
  await Promise.all(
    gone.map(([, id]) =>
      fetch(`${API_BASE}/v1/files/${encodeURIComponent(id)}`, { method: 'DELETE', headers: t ? { api_token: t } : {}, keepalive }).catch(() => undefined),
    ),
  );
}

function show(id: number | null, version: number | null, doc: Brand): void {
  opened.value = { id, version, saved: doc };
  draft.value = structuredClone(doc);
  saveStatus.value = null;
}

/** Opens one of the organisation's brands to edit. */
export async function openBrand(summary: BrandSummary): Promise<void> {
  if (!mayLeave()) return;
  await deleteUploads();
  try {
    const rec = await fetchBrandDocument(summary.id, { token: token.value ?? '' });
    show(rec.id, rec.version, rec.document);
  } catch (err) {
    saveStatus.value = { kind: 'error', text: reportError(err, `Could not open brand ${summary.id}`) };
  }
}

/** Starts a new private brand from a copy of another (a public one, or one of the organisation's). */
export async function duplicateBrand(summary: BrandSummary): Promise<void> {
  if (!mayLeave()) return;
  await deleteUploads();
  try {
    const rec = await fetchBrandDocument(summary.id, { token: token.value ?? '' });
    show(null, null, startFrom(rec.document, `${rec.document.name} copy`));
  } catch (err) {
    saveStatus.value = { kind: 'error', text: reportError(err, `Could not copy brand ${summary.id}`) };
  }
}

/** The versions of the open brand, newest first. */
export async function listVersions(id: number): Promise<number[]> {
  const c = client.value;
  if (!c) return [];
  return (await c.brands.versions(id)).map((v) => v.version).sort((a, b) => b - a);
}

/**
 * Loads an earlier version of the open brand into the draft (the latest stays saved until Save, which
 * stores it as a new version); the latest version's number loads the latest again.
 */
export async function loadVersion(version: number): Promise<void> {
  const o = opened.value;
  const c = client.value;
  if (!o || o.id === null || !c) return;
  if (!mayLeave()) return;
  await deleteUploads();
  try {
    const doc = version === o.version ? o.saved : ((await c.brands.version(o.id, version)).document as unknown as Brand);
    opened.value = { ...o, restoring: version === o.version ? null : version };
    draft.value = structuredClone(doc);
    saveStatus.value = null;
  } catch (err) {
    saveStatus.value = { kind: 'error', text: reportError(err, `Could not read version ${version}`) };
  }
}

/** Back to the saved document; files uploaded since are deleted. */
export async function discard(): Promise<void> {
  const o = opened.value;
  if (!o) return;
  if (o.id === null) {
    opened.value = null;
    draft.value = null;
  } else {
    opened.value = { ...o, restoring: null };
    draft.value = structuredClone(o.saved);
  }
  await deleteUploads();
  saveStatus.value = null;
}

/**
 * Uploads a picked file for the draft: refused by name before sending, by the server's checks after
 * (a message naming the file and the rule either way). Answers the file's URL, or throws that message.
 */
export async function upload(file: File, kind: PickKind): Promise<string> {
  const early = pickProblem(file.name, kind);
  if (early) throw new Error(early);
  const c = client.value;
  if (!c) throw new Error('Connect with the API token first.');
  let rec;
  try {
    rec = await c.files.upload(file, { filename: file.name });
  } catch (err) {
    if (err instanceof AdsmithError && err.status > 0) throw new Error(uploadMessage(file.name, err.status, err.message), { cause: err });
    throw new Error(`"${file.name}" could not be uploaded: ${(err as Error).message}`, { cause: err });
  }
  const wrong = storedProblem(file.name, rec.mime_type, kind);
  if (wrong) {
    await c.files.delete(rec.id).catch(() => undefined);
    throw new Error(wrong);
  }
  pendingUploads.set(rec.url, rec.id);
  return rec.url;
}

/**
 * Saves the draft as one document (POST for a new brand, PUT for a new version): the server validates
 * it whole, so a refused save changes nothing. Files uploaded for it and no longer named are deleted.
 */
export async function save(): Promise<void> {
  const c = client.value;
  const doc = draft.value;
  const o = opened.value;
  if (!c || !doc || !o || saving.value) return;
  saving.value = true;
  try {
    const rec = o.id === null ? await c.brands.create(savedBody(doc)) : await c.brands.update(o.id, savedBody(doc));
    const saved = rec.document as unknown as Brand;
    opened.value = { id: rec.id, version: rec.version, saved };
    // Edits made while the request was on its way stay in the draft (still unsaved), with their files.
    if (draft.value === doc) draft.value = structuredClone(saved);
    for (const url of sourcesOf(saved)) pendingUploads.delete(url);
    await deleteUploads(sourcesOf(draft.value ?? saved));
    saveStatus.value = { kind: 'ok', text: `Saved as brand #${rec.id}, version ${rec.version}.` };
    void loadCatalog(c);
  } catch (err) {
    saveStatus.value = { kind: 'error', text: reportError(err, 'Not saved; the brand is unchanged') };
  } finally {
    saving.value = false;
  }
}

/** Leaving the page: ask while there is unsaved work; files uploaded for a draft never saved are deleted. */
export function guardLeaving(): () => void {
  const beforeUnload = (e: BeforeUnloadEvent) => {
    if (!dirty.value) return;
    e.preventDefault();
    e.returnValue = '';
  };
  const pageHide = () => void deleteUploads(new Set(), true);
  window.addEventListener('beforeunload', beforeUnload);
  window.addEventListener('pagehide', pageHide);
  return () => {
    window.removeEventListener('beforeunload', beforeUnload);
    window.removeEventListener('pagehide', pageHide);
  };
}
