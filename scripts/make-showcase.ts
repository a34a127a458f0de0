/** Renders the README's showcase image from the public templates: `npx tsx scripts/make-showcase.ts`. */
import sharp from 'sharp';
import { publicBrand, publicTemplate } from '../src/assets/index.js';
import { Renderer } from '../src/node/render.js';

const renderer = new Renderer();
const rows: [string, string | null][] = [
  ['1062', '121'],
  ['1062', '167'],
  ['1061', null],
];
const W = 1600;
const tiles: sharp.OverlayOptions[] = [];
let y = 16;
for (const [template, brand] of rows) {
  const scenes = await renderer.render({ template: publicTemplate(template)!, brand: brand ? publicBrand(brand)! : null, scenes: [0, 3, 5, 6, 7] });
  // One row: square, link ad, medium rectangle, skyscraper, leaderboard under the link ad.
  const h = 300;
  let x = 16;
  let rowH = h;
  for (const s of scenes) {
    const scale = s.height === 90 ? 1 : Math.min(1, h / s.height);
    const w = Math.round(s.width * scale);
    const hh = Math.round(s.height * scale);
    const input = await sharp(Buffer.from(s.bytes)).resize(w, hh).png().toBuffer();
    if (s.height === 90) {
      tiles.push({ input, left: 16, top: y + h + 16 });
      rowH = h + 16 + hh;
      continue;
    }
    tiles.push({ input, left: x, top: y });
    x += w + 16;
  }
  y += rowH + 24;
}
await sharp({ create: { width: W, height: y, channels: 3, background: '#E9EBEF' } })
  .composite(tiles)
  .jpeg({ quality: 84, mozjpeg: true })
  .toFile('docs/images/showcase.jpg');
console.log('wrote docs/images/showcase.jpg');
