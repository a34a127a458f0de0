import { FILE_ID, fileReference } from '../net/file-url.js';
import type { MetadataStore } from '../storage/types.js';

/**
 * Which uploaded files a render may read. Render threads have the blob store
 * but not the metadata store, so the dispatcher (which has both) hands each
 * scene task the ids of the files its job refers to — anywhere: template,
 * brand (logos, fonts), elements, smart image — that belong to the job's
 * organisation. The thread's fetcher refuses every other file of this server
 * (src/jobs/fetcher.ts), so a document stored before the save-time check, or
 * any spelling of another organisation's file URL, renders nothing of it.
 */

/** Calls `visit` with every string in `value` and its JSON path (`$.scenes[0].elements[2].content`). */
export function walkStrings(value: unknown, visit: (path: string, s: string) => void, path = '$'): void {
  if (typeof value === 'string') {
    visit(path, value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, visit, `${path}[${i}]`));
    return;
  }
  for (const [key, v] of Object.entries(value)) walkStrings(v, visit, /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
}

/** Ids of the uploaded files `values` refer to that `orgId` owns (however their URLs are spelled). */
export async function ownedFileIds(store: MetadataStore, orgId: string, values: unknown[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const value of values) {
    walkStrings(value, (_path, s) => {
      const ref = fileReference(s, { publicUrl: '' });
      if (ref && FILE_ID.test(ref.id)) ids.add(ref.id);
    });
  }
  const owned: string[] = [];
  for (const id of ids) {
    const file = await store.getFile(id);
    if (file && file.orgId === orgId) owned.push(id);
  }
  return owned;
}
