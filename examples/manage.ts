/**
 * Templates, brands and files: a private brand from a public one's document,
 * an uploaded photo, typed errors.
 *   ADSMITH_TOKEN=… npx tsx examples/manage.ts
 */
import { Adsmith, NotFoundError } from 'adsmith/client';

const adsmith = new Adsmith({ apiKey: process.env['ADSMITH_TOKEN'] ?? '', baseUrl: process.env['ADSMITH_SERVER'] ?? 'http://localhost:8080' });

const aurelle = await adsmith.brands.get('167'); // a public brand's document
const mine = await adsmith.brands.create({ ...aurelle.document, name: 'Aurelle (ours)' });
const updated = await adsmith.brands.update(mine.id, { ...aurelle.document, name: 'Aurelle (ours, v2)' });
console.log(`brand ${mine.id} version ${updated.version}`);

const photo = await adsmith.files.upload('src/assets/images/product.png');
console.log(`uploaded ${photo.filename} (${photo.mime_type}, ${photo.size} bytes): ${photo.url}`);

const template = await adsmith.templates.get('1062');
console.log(`template 1062: ${Object.keys(template.scene_resolutions).length} scenes`);

try {
  await adsmith.templates.get('424242');
} catch (err) {
  if (err instanceof NotFoundError) console.log(`not found, as expected: ${err.message}`);
  else throw err;
}
await adsmith.brands.delete(mine.id);
await adsmith.files.delete(photo.id);
console.log('cleaned up');
