import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenHostname, forbiddenReason } from './address.js';
import { IMAGE_TYPES, sniff, type Sniffed } from './sniff.js';

/**
 * Guarded fetching of URLs that users hand us (input images, webhook targets).
 * Only http(s); the host name's DNS answers are checked in the connection's own
 * lookup (so a rebinding DNS cannot swap the address between check and connect),
 * again on every redirect; limits on bytes, time and redirects.
 */
export interface GuardOptions {
  /** ADSMITH_ALLOW_PRIVATE_URLS: allow loopback/private targets (local use, tests). */
  allowPrivate: boolean;
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Which addresses are refused (default: `forbiddenReason`); injectable so tests can exercise the checks on loopback only. */
  policy?: (address: string) => string | null;
  /** DNS lookup, injectable for tests of the address checks. */
  lookup?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  /**
   * A URL to refuse — the first or any redirect target — with the reason (null: go on). The server refuses
   * redirects to its own uploaded files: fetched over HTTP they would skip the organisation check.
   */
  refuse?: (url: string) => string | null;
}

export class FetchRefused extends Error {
  constructor(
    message: string,
    readonly kind: 'scheme' | 'address' | 'status' | 'size' | 'timeout' | 'redirects' | 'network' | 'content',
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Uint8Array;
  finalUrl: string;
}

const defaultLookup = async (hostname: string): Promise<Array<{ address: string; family: number }>> =>
  dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Checks a URL before connecting: scheme, literal-IP host, forbidden names. Throws FetchRefused. */
export function checkUrl(raw: string, allowPrivate: boolean, policy: (address: string) => string | null = forbiddenReason): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('is not a valid absolute URL', 'scheme');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`uses ${url.protocol.replace(':', '')}; only http and https are fetched`, 'scheme');
  if (url.username || url.password) throw new FetchRefused('must not carry credentials', 'scheme');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const why = policy(host);
      if (why) throw new FetchRefused(`points to a ${why} address`, 'address');
    } else {
      const why = forbiddenHostname(host);
      if (why) throw new FetchRefused(`points to a ${why}`, 'address');
    }
  }
  return url;
}

function guardedLookup(opts: GuardOptions): LookupFunction {
  const resolve = opts.lookup ?? defaultLookup;
  const policy = opts.policy ?? forbiddenReason;
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((answers) => {
        const usable = opts.allowPrivate ? answers : answers.filter((a) => policy(a.address) === null);
        const first = usable[0];
        if (!first) {
          const why = answers[0] ? policy(answers[0].address) : 'no address';
          callback(new FetchRefused(`resolves to a ${why ?? 'refused'} address`, 'address'), '', 4);
          return;
        }
        if ((options as { all?: boolean }).all) {
          (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, usable);
        } else callback(null, first.address, first.family);
      })
      .catch((err: unknown) => callback(new FetchRefused(`could not be resolved (${(err as Error).message})`, 'network'), '', 4));
  };
}

function once(url: URL, opts: GuardOptions, init: { method: string; headers: Record<string, string>; body?: string }, deadline: number): Promise<GuardedResponse> {
  const maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const remaining = Math.max(1, deadline - Date.now());
    const req = lib.request(
      url,
      { method: init.method, headers: { 'user-agent': 'Adsmith/0.1 (+guarded fetch)', ...init.headers }, lookup: guardedLookup(opts), timeout: remaining, agent: false },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > maxBytes) {
          req.destroy();
          reject(new FetchRefused(`is larger than the limit of ${maxBytes} bytes`, 'size'));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy();
            reject(new FetchRefused(`is larger than the limit of ${maxBytes} bytes`, 'size'));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: new Uint8Array(Buffer.concat(chunks)), finalUrl: url.toString() }));
        res.on('error', (err) => reject(new FetchRefused(`failed while reading (${err.message})`, 'network')));
      },
    );
    const timer = setTimeout(() => req.destroy(new FetchRefused(`did not answer within the time limit`, 'timeout')), remaining);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new FetchRefused(`did not answer within the time limit`, 'timeout')));
    req.on('error', (err) => reject(err instanceof FetchRefused ? err : new FetchRefused(`is not reachable (${err.message})`, 'network')));
    if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

/** One request with the guard: follows up to maxRedirects redirects (GET only), checking each hop. */
export async function guardedRequest(
  raw: string,
  opts: GuardOptions,
  init: { method?: string; headers?: Record<string, string>; body?: string; followRedirects?: boolean } = {},
): Promise<GuardedResponse> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  const maxRedirects = opts.maxRedirects ?? 5;
  const refused = (u: URL): URL => {
    const why = opts.refuse?.(u.toString());
    if (why) throw new FetchRefused(why, 'address');
    return u;
  };
  let url = refused(checkUrl(raw, opts.allowPrivate, opts.policy));
  for (let hop = 0; ; hop++) {
    const res = await once(url, opts, { method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}) }, deadline);
    const location = res.headers.location;
    if (init.followRedirects !== false && res.status >= 300 && res.status < 400 && location) {
      if (hop >= maxRedirects) throw new FetchRefused(`redirects more than ${maxRedirects} times`, 'redirects');
      url = refused(checkUrl(new URL(location, url).toString(), opts.allowPrivate, opts.policy));
      continue;
    }
    return res;
  }
}

export interface ImageFetchOptions extends GuardOptions {
  /** Refuse images whose header claims more pixels than this (decompression bombs). Default 50 MP. */
  maxPixels?: number;
}

/** Fetches an image: 2xx only, sniffed (the Content-Type header is not trusted), pixel count bounded. */
export async function fetchImage(raw: string, opts: ImageFetchOptions): Promise<{ bytes: Uint8Array; sniffed: Sniffed }> {
  const res = await guardedRequest(raw, opts, { headers: { accept: 'image/*' } });
  if (res.status < 200 || res.status > 299) throw new FetchRefused(`answered HTTP ${res.status}`, 'status');
  const sniffed = sniff(res.bytes);
  if (!IMAGE_TYPES.includes(sniffed.type)) throw new FetchRefused('does not point to an image (PNG, JPEG, GIF, WebP, AVIF or SVG)', 'content');
  const maxPixels = opts.maxPixels ?? 50_000_000;
  if (sniffed.width !== undefined && sniffed.height !== undefined && sniffed.width * sniffed.height > maxPixels) {
    throw new FetchRefused(`is an image of ${sniffed.width}×${sniffed.height} pixels, more than the limit of ${maxPixels}`, 'size');
  }
  return { bytes: res.bytes, sniffed };
}
