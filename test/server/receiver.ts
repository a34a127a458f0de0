import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver on 127.0.0.1 (ephemeral port) that records every request and answers `status`. */
export async function startReceiver(status = 204): Promise<{ url: (path?: string) => string; received: Array<{ headers: http.IncomingHttpHeaders; body: string }>; close: () => void }> {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: (path = '/hook') => `http://127.0.0.1:${port}${path}`, received, close: () => server.close() };
}
