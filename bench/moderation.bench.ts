/** Moderation benchmark: nsfwjs load and per-image time, obscenity per-text time. Run: npx tsx bench/moderation.bench.ts */
import { ImageModerator } from '../src/moderation/image.js';
import { TextModerator } from '../src/moderation/text.js';
import { encodePng } from '../src/smart-image/image.js';
import { makeProductPhoto } from '../test/fixtures/smart-image/synth.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const png = await encodePng(makeProductPhoto(1024, 'mug', 'gradient').photo);
const rss0 = process.memoryUsage().rss;
const mod = new ImageModerator();
await mod.load();
const ts: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await mod.check(png);
  ts.push(performance.now() - t);
}
console.log(`nsfwjs MobileNetV2 (tfjs wasm): load ${Math.round(mod.loadMs)} ms, check 1024² PNG median ${Math.round(median(ts))} ms, RSS +${Math.round((process.memoryUsage().rss - rss0) / 1e6)} MB`);
const text = new TextModerator();
const s = 'Summer sale on cocktails in the cockpit lounge, Scunthorpe — fresh shiitake! '.repeat(4);
const t = performance.now();
for (let i = 0; i < 1000; i++) text.check(s);
console.log(`obscenity: ${((performance.now() - t) / 1000).toFixed(3)} ms per ${s.length}-char text`);
