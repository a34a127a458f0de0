/**
 * One template × many products in one batch; each row's scenes once it is done.
 *   ADSMITH_TOKEN=… npx tsx examples/batch.ts
 */
import { Adsmith } from 'adsmith/client';

const adsmith = new Adsmith({ apiKey: process.env['ADSMITH_TOKEN'] ?? '', baseUrl: process.env['ADSMITH_SERVER'] ?? 'http://localhost:8080' });

const products = [
  { sku: 'shirt', title: 'Linen shirt', line: 'Breathable summer linen' },
  { sku: 'bag', title: 'Canvas bag', line: 'Back in stock' },
];
const created = await adsmith.batches.create({
  template_id: '1062',
  brand_id: '121',
  defaults: { elements: [{ content_type: 'Image #1', content: 'src/assets/images/lifestyle.jpg' }] }, // uploaded once
  rows: products.map((p) => ({ key: p.sku, elements: [{ content_type: 'Heading #1', content: p.title }, { content_type: 'Body #1', content: p.line }] })),
});
console.log(`batch ${created.batch_id}: ${created.rows_accepted} rows accepted`);

const final = await adsmith.batches.wait(created.batch_id, {
  onProgress: (u) => console.log(`rows ${u.progress.rows_done}/${u.progress.rows_total}, scenes ${u.progress.scenes_done}/${u.progress.scenes_total}`),
});
for (const row of final.rows) {
  const bytes = row.result?.[0] ? (await adsmith.download(row.result[0].url)).byteLength : 0;
  console.log(`${row.key}: ${row.status}, ${row.result?.length ?? 0} scenes (first ${bytes} bytes)`);
}
