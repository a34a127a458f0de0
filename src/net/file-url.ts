import { isIP } from 'node:net';
import { forbiddenReason } from './address.js';

/**
 * Recognises URLs that name a file uploaded to this Adsmith (`{PUBLIC_URL}/v1/files/{id}`),
 * however they are spelled. Files are served to anyone holding the URL (it works in <img>), but
 * only their own organisation may render with one; that check is only as good as this
 * recognition, since an unrecognised spelling would be fetched over HTTP — from this very server
 * when it can reach itself — and slip past it.
 *
 * So the URL is canonicalised first: parsed as WHATWG URL (lower-case scheme and host, IPv4 in
 * any notation made dotted, `.`/`..` and `%2e` segments resolved, backslashes as slashes), the
 * path percent-decoded once and re-resolved, repeated slashes collapsed. A host is "self" when it
 * is the configured public URL's host (at its port), or any loopback or unspecified address or
 * name (localhost, *.localhost, 127/8, ::1, ::ffff:127.0.0.1, 0.0.0.0, ::).
 */
export interface FileUrlContext {
  /** ADSMITH_PUBLIC_URL, no trailing slash. */
  publicUrl: string;
}

export interface FileReference {
  /** The file id as written in the path (not yet checked against the store). */
  id: string;
  /** The URL's host is this server by one of its names. */
  self: boolean;
}

/** File ids are capabilities of this shape (see capabilityToken); anything else cannot be one of our files. */
export const FILE_ID = /^[A-Za-z0-9_-]{16,64}$/;

const LOOPBACK_NAMES = /^(localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$/;

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (LOOPBACK_NAMES.test(h)) return true;
  if (!isIP(h)) return false;
  const why = forbiddenReason(h) ?? '';
  return /loopback|this-network|unspecified/.test(why);
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** The path with `.` and `..` segments resolved and repeated slashes collapsed. */
function resolveDots(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** A URL naming `/v1/files/{id}` on any host, canonicalised; null for anything else (data:, asset:, other paths, not a URL). */
export function fileReference(raw: string, ctx: FileUrlContext): FileReference | null {
  // Cheap refusal first (most strings are not URLs), spelled the way the URL parser reads a scheme: it drops
  // tabs and newlines anywhere and C0 controls or spaces in front.
  // Only a prefix is looked at, so a megabyte data: URI costs nothing; a scheme hidden past it is still refused by
  // the guarded fetch's `refuse` hook, which sees the parsed URL.
  if (!/^https?:/i.test(raw.slice(0, 4096).replace(/[\t\n\r]/g, '').replace(/^[\x00-\x20]+/, ''))) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  let path = url.pathname;
  try {
    path = path
      .split('/')
      .map((seg) => decodeURIComponent(seg))
      .join('/');
  } catch {
    // malformed percent-encoding: keep the path as the URL parser left it
  }
  path = resolveDots(path);
  const m = /^\/v1\/files\/([^/]+)/.exec(path);
  if (!m) return null;
  let self = isLoopbackHost(url.hostname);
  try {
    const own = new URL(ctx.publicUrl);
    const port = (u: URL) => u.port || defaultPort(u.protocol);
    if (own.hostname === url.hostname && port(own) === port(url)) self = true;
  } catch {
    // an unparsable public URL names no host
  }
  return { id: m[1]!, self };
}

/** For guarded fetches (GuardOptions.refuse): a URL naming an uploaded file — reached by a redirect, say — is never fetched over HTTP. */
export function refuseFileUrls(ctx: FileUrlContext): (url: string) => string | null {
  return (url) => (fileReference(url, ctx) ? 'leads to an uploaded file (/v1/files/…) over HTTP: use the file URL itself' : null);
}
