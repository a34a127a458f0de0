import { walkStrings } from '../../jobs/file-access.js';
import { OTHER_ORG_FILE } from '../../jobs/fetcher.js';
import { FetchRefused } from '../../net/fetch.js';
import { FILE_ID, fileReference } from '../../net/file-url.js';
import type { FileRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';

/**
 * One organisation's uploaded files stay its own everywhere a URL can name one:
 * request inputs (elements, smart image, batch rows, task inputs — all through
 * generate's input check) and documents (private templates and brands, when
 * saved and again when a job is accepted). The URL is recognised in every
 * spelling (src/net/file-url.ts); the render threads check again
 * (src/jobs/fetcher.ts) for documents stored before this check existed.
 */

/**
 * The uploaded file `url` names, when it names one of this server's and it belongs to `orgId`;
 * null when the URL names no file of this server (fetch it as any URL). Throws FetchRefused for
 * another organisation's file, or a URL on this server's own host naming no file.
 */
export async function resolveOwnFile(ctx: ServerContext, orgId: string, url: string): Promise<FileRecord | null> {
  const ref = fileReference(url, ctx.config);
  if (!ref) return null;
  const file = FILE_ID.test(ref.id) ? await ctx.store.getFile(ref.id) : null;
  if (file) {
    if (file.orgId !== orgId) throw new FetchRefused(OTHER_ORG_FILE, 'status');
    return file;
  }
  if (ref.self) throw new FetchRefused('is not an uploaded file of this server', 'status');
  return null;
}

/** The first string of `doc` naming a file `orgId` may not use, with its JSON path and why; null when there is none. */
export async function forbiddenFileIn(ctx: ServerContext, orgId: string, doc: unknown): Promise<{ path: string; reason: string } | null> {
  const candidates: Array<{ path: string; url: string }> = [];
  walkStrings(doc, (path, s) => {
    if (fileReference(s, ctx.config)) candidates.push({ path, url: s });
  });
  for (const { path, url } of candidates) {
    try {
      await resolveOwnFile(ctx, orgId, url);
    } catch (err) {
      if (err instanceof FetchRefused) return { path, reason: `the URL ${err.message}` };
      throw err;
    }
  }
  return null;
}
