/**
 * Follow a generation as it happens: one update per scene change.
 *   ADSMITH_TOKEN=… npx tsx examples/stream.ts
 */
import { Adsmith } from 'adsmith/client';

const adsmith = new Adsmith({ apiKey: process.env['ADSMITH_TOKEN'] ?? '', baseUrl: process.env['ADSMITH_SERVER'] ?? 'http://localhost:8080' });

for await (const update of adsmith.stream({ template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'Fresh picks daily' }] })) {
  const rendering = update.scenes.filter((s) => s.status === 'rendering').map((s) => s.key);
  console.log(`${update.status} ${update.progress}% rendering: ${rendering.join(', ') || '-'}`);
  if (update.done) for (const s of update.scenes) console.log(`${s.key} ${s.status} ${s.url}`);
}
