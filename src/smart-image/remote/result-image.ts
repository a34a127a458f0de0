/**
 * Downloading and decoding the pictures providers answer with. A result URL comes
 * from a remote server's answer, so it is fetched with the guarded fetcher: http(s)
 * only, no private or loopback address (loopback only when `allowLoopback` is set,
 * for tests and local proxies), at most `maxResultBytes`, sniffed as a raster image.
 */
import { forbiddenReason } from '../../net/address.js';
import { FetchRefused, guardedRequest } from '../../net/fetch.js';
import { sniff, type SniffedType } from '../../net/sniff.js';
import { decodeImage } from '../image.js';
import type { RawImage } from '../types.js';
import { ProviderError, snippet } from './errors.js';
import { retryAfterMs, withRetries, type CallContext } from './http.js';

/** Raster formats a provider may answer with (SVG is refused: it is not a photo and may reference URLs). */
const RASTER: readonly SniffedType[] = ['png', 'jpeg', 'webp', 'avif', 'gif'];

/** The address policy for result URLs: the usual refusals, loopback let through only when asked. */
export function resultUrlPolicy(allowLoopback: boolean): (address: string) => string | null {
  return (address) => {
    const why = forbiddenReason(address);
    return why === 'loopback' && allowLoopback ? null : why;
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

const REFUSAL_KIND: Record<FetchRefused['kind'], ProviderError['kind']> = {
  scheme: 'refused',
  address: 'refused',
  redirects: 'refused',
  content: 'malformed',
  size: 'too_large',
  timeout: 'timeout',
  network: 'network',
  status: 'status',
};

/** Fetch a result image by URL (retried like API calls) and return its encoded bytes. */
export async function fetchResultBytes(ctx: CallContext, what: string, url: string): Promise<Uint8Array> {
  const host = hostOf(url);
  return withRetries(ctx, async (timeoutMs) => {
    let res;
    try {
      res = await guardedRequest(
        url,
        { allowPrivate: false, policy: resultUrlPolicy(ctx.limits.allowLoopback), maxBytes: ctx.limits.maxResultBytes, timeoutMs, maxRedirects: 3 },
        { headers: { accept: 'image/*' } },
      );
    } catch (e) {
      if (!(e instanceof FetchRefused)) throw e;
      const kind = REFUSAL_KIND[e.kind];
      throw new ProviderError(ctx.provider, kind, `${what}: the result image at ${host} ${e.message}`, kind === 'timeout' || kind === 'network');
    }
    if (res.status === 429 || res.status >= 500)
      throw new ProviderError(ctx.provider, 'status', `${what}: the result image at ${host} answered HTTP ${res.status}`, true, retryAfterMs(String(res.headers['retry-after'] ?? '') || null));
    if (res.status < 200 || res.status > 299)
      throw new ProviderError(ctx.provider, 'status', `${what}: the result image at ${host} answered HTTP ${res.status} (${snippet(Buffer.from(res.bytes).toString('utf8'))})`);
    return res.bytes;
  });
}

/** Decode answer bytes into RGBA; anything that is not a raster image is a malformed answer. */
export async function decodeResult(ctx: CallContext, what: string, bytes: Uint8Array): Promise<RawImage> {
  const type = sniff(bytes).type;
  if (!RASTER.includes(type)) throw new ProviderError(ctx.provider, 'malformed', `${what}: the result is not a raster image (${type === 'unknown' ? `${bytes.length} bytes of unknown content` : type})`);
  try {
    return await decodeImage(bytes, 'result');
  } catch (e) {
    throw new ProviderError(ctx.provider, 'malformed', `${what}: the result image could not be decoded (${(e as Error).message})`);
  }
}

/**
 * A base64 image from a JSON answer (OpenAI's b64_json, SD WebUI's images[i]; a data: URI
 * prefix is allowed), decoded. It is held to the same byte limit as a downloaded result.
 */
export async function decodeBase64Result(ctx: CallContext, what: string, b64: string, field = 'b64_json'): Promise<RawImage> {
  const clean = b64.replace(/^data:[^,]*,/, '');
  if (!/^[A-Za-z0-9+/=\s_-]+$/.test(clean)) throw new ProviderError(ctx.provider, 'malformed', `${what}: ${field} is not base64`);
  const size = Math.floor((clean.replace(/[\s=]/g, '').length * 3) / 4);
  if (size > ctx.limits.maxResultBytes) throw new ProviderError(ctx.provider, 'too_large', `${what}: the result image in ${field} is ${size} bytes, more than the limit of ${ctx.limits.maxResultBytes}`);
  return decodeResult(ctx, what, new Uint8Array(Buffer.from(clean, 'base64')));
}
