/**
 * Generate every scene of a template and save the images.
 *   ADSMITH_TOKEN=… npx tsx examples/generate.ts ./product.png ./ads
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Adsmith } from 'adsmith/client';

const [photo = 'src/assets/images/product.png', outDir = './ads'] = process.argv.slice(2);
const adsmith = new Adsmith({ apiKey: process.env['ADSMITH_TOKEN'] ?? '', baseUrl: process.env['ADSMITH_SERVER'] ?? 'http://localhost:8080' });

const result = await adsmith.generate(
  {
    template_id: '1062',
    brand_id: '167',
    elements: [
      { content_type: 'Heading #1', content: 'Summer sale' },
      { content_type: 'Image #1', content: photo }, // a local path: uploaded for you
    ],
  },
  { onProgress: (p) => console.log(`${p.progress}% (${p.scenes_done}/${p.scenes_total} scenes)`) },
);

await mkdir(outDir, { recursive: true });
for (const scene of result.scenes) {
  const file = join(outDir, `${scene.key}-${scene.width}x${scene.height}.png`);
  await writeFile(file, await scene.bytes()); // waits while the URL still answers 202
  console.log(`${file}  ${scene.name}  editor: ${scene.editor_iframe}`);
}
