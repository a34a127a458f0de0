import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchImage, FetchRefused, type ImageFetchOptions } from '../../src/net/fetch.js';
import { sniff } from '../../src/net/sniff.js';

/**
 * The guard exercised on loopback only: names resolve through an injected lookup
 * (img.test → 127.0.0.1, bad.test → 127.0.0.2) and the address policy allows
 * only 127.0.0.1, so "refused" addresses are never connected to.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const BOMB = Buffer.from(PNG);
BOMB.writeUInt32BE(100_000, 16);
BOMB.writeUInt32BE(100_000, 20);

let server: http.Server;
let port = 0;
const seen: string[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    const url = req.url ?? '';
    if (url === '/png') return void res.end(PNG);
    if (url === '/html') return void res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not an image</html>');
    if (url === '/bomb') return void res.end(BOMB);
    if (url === '/big') return void res.end(Buffer.alloc(50_000));
    if (url === '/404') return void res.writeHead(404).end();
    if (url === '/slow') return; // never answers
    if (url === '/to-bad') return void res.writeHead(302, { location: `http://bad.test:${port}/png` }).end();
    if (url === '/to-good') return void res.writeHead(301, { location: `http://img.test:${port}/png` }).end();
    if (url === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const opts = (extra: Partial<ImageFetchOptions> = {}): ImageFetchOptions => ({
  allowPrivate: false,
  policy: (a) => (a === '127.0.0.1' ? null : 'refused-in-test'),
  lookup: async (host) => {
    if (host === 'img.test') return [{ address: '127.0.0.1', family: 4 }];
    if (host === 'bad.test') return [{ address: '127.0.0.2', family: 4 }];
    throw new Error('ENOTFOUND');
  },
  timeoutMs: 3000,
  ...extra,
});

async function refusal(p: Promise<unknown>): Promise<FetchRefused> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FetchRefused);
    return err as FetchRefused;
  }
  throw new Error('expected a refusal');
}

describe('guarded fetch', () => {
  it('fetches an image whose DNS answer passes the check', async () => {
    const { bytes, sniffed } = await fetchImage(`http://img.test:${port}/png`, opts());
    expect(Buffer.from(bytes).equals(PNG)).toBe(true);
    expect(sniffed).toMatchObject({ type: 'png', width: 1, height: 1 });
  });

  it('refuses an address resolved from DNS', async () => {
    expect((await refusal(fetchImage(`http://bad.test:${port}/png`, opts()))).kind).toBe('address');
  });

  it('checks every redirect hop again', async () => {
    const before = seen.length;
    expect((await refusal(fetchImage(`http://img.test:${port}/to-bad`, opts()))).kind).toBe('address');
    expect(seen.slice(before)).toEqual(['/to-bad']);
    expect((await fetchImage(`http://img.test:${port}/to-good`, opts())).sniffed.type).toBe('png');
    expect((await refusal(fetchImage(`http://img.test:${port}/to-file`, opts()))).kind).toBe('scheme');
    expect((await refusal(fetchImage(`http://img.test:${port}/loop`, opts({ maxRedirects: 3 })))).kind).toBe('redirects');
  });

  it('refuses literal private addresses, other schemes and credentials before connecting', async () => {
    expect((await refusal(fetchImage(`http://127.0.0.2:${port}/png`, opts()))).kind).toBe('address');
    expect((await refusal(fetchImage('http://169.254.169.254/latest/meta-data', { allowPrivate: false }))).kind).toBe('address');
    expect((await refusal(fetchImage('http://[::ffff:10.0.0.1]/', { allowPrivate: false }))).kind).toBe('address');
    expect((await refusal(fetchImage('http://localhost/', { allowPrivate: false }))).kind).toBe('address');
    expect((await refusal(fetchImage('ftp://img.test/x.png', opts()))).kind).toBe('scheme');
    expect((await refusal(fetchImage('file:///etc/passwd', opts()))).kind).toBe('scheme');
    expect((await refusal(fetchImage(`http://u:p@img.test:${port}/png`, opts()))).kind).toBe('scheme');
    expect((await refusal(fetchImage('not a url', opts()))).kind).toBe('scheme');
  });

  it('sniffs content and bounds bytes, pixels, time and status', async () => {
    expect((await refusal(fetchImage(`http://img.test:${port}/html`, opts()))).kind).toBe('content');
    expect((await refusal(fetchImage(`http://img.test:${port}/bomb`, opts()))).message).toMatch(/100000×100000/);
    expect((await refusal(fetchImage(`http://img.test:${port}/big`, opts({ maxBytes: 1000 })))).kind).toBe('size');
    expect((await refusal(fetchImage(`http://img.test:${port}/slow`, opts({ timeoutMs: 300 })))).kind).toBe('timeout');
    expect((await refusal(fetchImage(`http://img.test:${port}/404`, opts()))).message).toMatch(/HTTP 404/);
  });

  it('ADSMITH_ALLOW_PRIVATE_URLS lets loopback through', async () => {
    expect((await fetchImage(`http://127.0.0.1:${port}/png`, { allowPrivate: true })).sniffed.type).toBe('png');
  });
});

describe('sniff', () => {
  it('recognises images and fonts by their bytes', () => {
    expect(sniff(PNG)).toMatchObject({ type: 'png', mimeType: 'image/png', width: 1, height: 1 });
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toMatchObject({ type: 'jpeg' });
    expect(sniff(Buffer.from('GIF89a\x02\x00\x03\x00', 'latin1'))).toMatchObject({ type: 'gif', width: 2, height: 3 });
    expect(sniff(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({ type: 'svg' });
    expect(sniff(Buffer.from('wOF2....'))).toMatchObject({ type: 'woff2', mimeType: 'font/woff2' });
    expect(sniff(Buffer.from('wOFF....'))).toMatchObject({ type: 'woff' });
    expect(sniff(Buffer.from('OTTO....'))).toMatchObject({ type: 'otf' });
    expect(sniff(Buffer.from([0, 1, 0, 0, 0, 10]))).toMatchObject({ type: 'ttf' });
    expect(sniff(Buffer.from('<html></html>'))).toMatchObject({ type: 'unknown' });
    expect(sniff(new Uint8Array(0))).toMatchObject({ type: 'unknown' });
  });
});
