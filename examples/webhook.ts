/**
 * Fire and forget: `wait: false` answers at once; Adsmith POSTs the result to
 * your webhook, which checks the signature with verifyWebhook.
 *   ADSMITH_TOKEN=… ADSMITH_ALLOW_PRIVATE_URLS=1 (on the server, for a local receiver) npx tsx examples/webhook.ts
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Adsmith, verifyWebhook } from 'adsmith/client';

const adsmith = new Adsmith({ apiKey: process.env['ADSMITH_TOKEN'] ?? '', baseUrl: process.env['ADSMITH_SERVER'] ?? 'http://localhost:8080' });
const { webhook_secret } = await adsmith.org();

// Your endpoint: read the raw body, verify, then trust it.
const delivered = new Promise<void>((resolve) => {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', async () => {
      try {
        const event = await verifyWebhook(req.headers, body, webhook_secret);
        console.log(`webhook ${event.type}: job ${event.id} ${event.status}, ${event.output.result.length} scenes`);
        res.writeHead(204).end();
        server.close();
        resolve();
      } catch (err) {
        res.writeHead(400).end((err as Error).message);
      }
    });
  });
  server.listen(0, '127.0.0.1', () => void submit((server.address() as AddressInfo).port));
});

async function submit(port: number) {
  const job = await adsmith.generate({ template_id: '1061', webhook_url: `http://127.0.0.1:${port}/adsmith` }, { wait: false });
  console.log(`accepted ${job.id}; status at ${job.statusUrl}`);
}

await delivered;
