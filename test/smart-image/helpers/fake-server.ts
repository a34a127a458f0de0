/**
 * A local HTTP server on 127.0.0.1 that records every request, for testing the
 * remote-provider adapters against servers speaking their protocols. Never binds
 * anything but loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Handler = (req: Recorded, res: http.ServerResponse, base: string) => void | Promise<void>;

export interface FakeServer {
  /** http://127.0.0.1:PORT */
  base: string;
  requests: Recorded[];
  close(): Promise<void>;
}

export async function fakeServer(handler: Handler): Promise<FakeServer> {
  const requests: Recorded[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      Promise.resolve(handler(rec, res, base)).catch((e: unknown) => {
        res.statusCode = 599;
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function sendBytes(res: http.ServerResponse, bytes: Uint8Array, type = 'image/png'): void {
  res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length) });
  res.end(Buffer.from(bytes));
}

/** Parse a multipart/form-data body the way a server would (WHATWG FormData). */
export async function formOf(rec: Recorded): Promise<FormData> {
  return new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': String(rec.headers['content-type']) }, body: rec.body }).formData();
}
