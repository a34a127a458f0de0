/**
 * Generates the reference ad's inputs, procedurally (no downloads):
 *   bench/assets/photo.jpg  1600×1200 "product shot": a glazed vase on a wooden
 *                           table against a softly lit wall with bokeh, plus
 *                           sensor-like noise so it compresses like a photo.
 *   bench/assets/logo.png   400×120 RGBA: a translucent white pill with an
 *                           anti-aliased emblem and an Inter Bold wordmark
 *                           (glyph outlines from fontkit, rasterised by resvg).
 *
 * Deterministic (seeded PRNG). Run: npx tsx bench/assets/make-assets.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as fontkit from 'fontkit';
import sharp from 'sharp';
import { Resvg } from '@resvg/resvg-js';
import { FILES } from '../reference-ad/spec.js';

const PHOTO_W = 1600;
const PHOTO_H = 1200;
const LOGO_W = 400;
const LOGO_H = 120;

/** mulberry32: small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type RGB = [number, number, number];

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const smoothstep = (e0: number, e1: number, x: number): number => {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
};
const mix = (a: RGB, b: RGB, t: number): RGB => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const hex = (s: string): RGB => [parseInt(s.slice(1, 3), 16), parseInt(s.slice(3, 5), 16), parseInt(s.slice(5, 7), 16)];

async function makePhoto(): Promise<Buffer> {
  const W = PHOTO_W;
  const H = PHOTO_H;
  const rand = prng(42);
  const px = new Float32Array(W * H * 3);

  const wallTop = hex('#EADBC8');
  const wallBottom = hex('#CDAF92');
  const woodLight = hex('#A8754F');
  const woodDark = hex('#6E4529');
  const glaze = hex('#2E7D78');
  const glazeDark = hex('#143F3D');
  const orange = hex('#E9893A');

  // Bokeh discs on the wall: soft, large, low alpha.
  const bokeh = Array.from({ length: 26 }, () => ({
    x: rand() * W,
    y: rand() * H * 0.62,
    r: 30 + rand() * 110,
    a: 0.08 + rand() * 0.16,
    c: mix(hex('#FFF4DC'), hex('#FFD9A8'), rand()),
  }));

  const tableY = H * 0.7;
  const cx = W * 0.5;
  const vaseTop = H * 0.2;
  const vaseBottom = H * 0.8;
  // Vase half-width as a function of the height parameter t in [0, 1].
  const vaseR = (t: number): number => {
    const neck = W * 0.05;
    if (t < 0.12) return neck + W * 0.012 * (1 - t / 0.12); // small lip
    const u = (t - 0.12) / 0.88;
    return neck + W * 0.13 * Math.pow(Math.sin(Math.PI * Math.min(1, u * 0.9)), 0.75);
  };
  // A small orange sphere to the right, sitting on the table.
  const ball = { x: W * 0.74, y: H * 0.74, r: H * 0.07 };

  for (let y = 0; y < H; y++) {
    const fy = y / H;
    for (let x = 0; x < W; x++) {
      const fx = x / W;
      // Wall: vertical gradient + a warm window glow from the upper left.
      let c = mix(wallTop, wallBottom, fy / 0.7);
      const glow = Math.exp(-(((fx - 0.22) ** 2) / 0.06 + ((fy - 0.18) ** 2) / 0.05));
      c = mix(c, hex('#FFF3E0'), glow * 0.55);
      for (const b of bokeh) {
        const d = Math.hypot(x - b.x, y - b.y);
        const k = 1 - smoothstep(b.r * 0.75, b.r, d);
        if (k > 0) c = mix(c, b.c, k * b.a);
      }

      // Table: wood with streaks, darker towards the front; soft edge at the top.
      const tableK = smoothstep(tableY - 1.5, tableY + 1.5, y);
      if (tableK > 0) {
        const depth = (y - tableY) / (H - tableY);
        const streak = 0.5 + 0.5 * Math.sin(y * 0.09 + Math.sin(x * 0.004 + y * 0.02) * 3 + Math.sin(x * 0.013) * 0.6);
        let w = mix(woodLight, woodDark, clamp01(depth * 0.8 + streak * 0.25));
        w = mix(w, hex('#FFE9CC'), Math.exp(-(((fx - 0.3) ** 2) / 0.08)) * 0.18 * (1 - depth));
        // Contact shadows of the vase and the ball, cast to the right.
        const sv = Math.exp(-(((x - (cx + W * 0.07)) / (W * 0.2)) ** 2 + ((y - vaseBottom + 8) / (H * 0.045)) ** 2));
        const sb = Math.exp(-(((x - (ball.x + ball.r * 0.6)) / (ball.r * 1.6)) ** 2 + ((y - ball.y - ball.r * 0.9) / (ball.r * 0.35)) ** 2));
        w = mix(w, hex('#2A1A10'), Math.min(0.6, sv * 0.55 + sb * 0.5));
        c = mix(c, w, tableK);
      }

      // Vase: revolved profile, Lambert + specular lighting from the upper left.
      if (y >= vaseTop - 2 && y <= vaseBottom + 2) {
        const t = (y - vaseTop) / (vaseBottom - vaseTop);
        const r = vaseR(clamp01(t));
        const dx = x - cx;
        const edge = 1 - smoothstep(r - 1.2, r + 1.2, Math.abs(dx));
        const vert = smoothstep(vaseTop - 1.2, vaseTop + 1.2, y) * (1 - smoothstep(vaseBottom - 1.2, vaseBottom + 1.2, y));
        const k = edge * vert;
        if (k > 0) {
          const nx = Math.max(-1, Math.min(1, dx / r));
          const nz = Math.sqrt(Math.max(0, 1 - nx * nx));
          const lambert = clamp01(-0.55 * nx + 0.75 * nz + 0.1);
          let v = mix(glazeDark, glaze, lambert);
          const spec = Math.pow(clamp01(1 - Math.hypot(nx + 0.45, (t - 0.45) * 1.6)), 8);
          v = mix(v, hex('#E8FFF9'), spec * 0.8);
          // Glaze drip band and darker unglazed foot.
          v = mix(v, hex('#D9C6A5'), smoothstep(0.93, 0.95, t) * 0.85);
          v = mix(v, hex('#5FA39B'), (1 - smoothstep(0.0, 0.03, Math.abs(t - 0.3))) * 0.35);
          // Opening at the top: dark ellipse.
          if (t < 0.03) v = mix(v, hex('#0B1F1E'), (1 - smoothstep(0.6, 1, Math.abs(dx) / r)) * 0.8);
          c = mix(c, v, k);
        }
      }

      // Ball.
      const bd = Math.hypot(x - ball.x, y - ball.y);
      const bk = 1 - smoothstep(ball.r - 1.2, ball.r + 1.2, bd);
      if (bk > 0) {
        const nx = (x - ball.x) / ball.r;
        const ny = (y - ball.y) / ball.r;
        const nz = Math.sqrt(Math.max(0, 1 - nx * nx - ny * ny));
        const l = clamp01(-0.5 * nx - 0.5 * ny + 0.7 * nz);
        let b = mix(hex('#7A3510'), orange, l);
        b = mix(b, hex('#FFF1DD'), Math.pow(clamp01(1 - Math.hypot(nx + 0.4, ny + 0.4) * 2.2), 3) * 0.7);
        c = mix(c, b, bk);
      }

      // Vignette and sensor noise (luma + a bit of chroma).
      const vig = 1 - 0.22 * ((fx - 0.5) ** 2 + (fy - 0.5) ** 2) * 2.2;
      const n = (rand() + rand() + rand() - 1.5) * 9;
      const i = (y * W + x) * 3;
      px[i] = c[0] * vig + n + (rand() - 0.5) * 3;
      px[i + 1] = c[1] * vig + n + (rand() - 0.5) * 3;
      px[i + 2] = c[2] * vig + n + (rand() - 0.5) * 3;
    }
  }

  const bytes = Buffer.alloc(W * H * 3);
  for (let i = 0; i < px.length; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(px[i] ?? 0)));
  return sharp(bytes, { raw: { width: W, height: H, channels: 3 } })
    .blur(0.6) // lens softness: keeps the noise photo-like rather than per-pixel
    .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

async function makeLogo(): Promise<Buffer> {
  // fontkit opens WOFF as well as TTF/OTF.
  const font = fontkit.create(await readFile(FILES.font[700].woff));
  if (!('layout' in font)) throw new Error('expected a single font, got a collection');
  const text = 'Verdant';
  const size = 54;
  const scale = size / font.unitsPerEm;
  const run = font.layout(text);
  let penX = 0;
  const paths: string[] = [];
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i];
    if (!pos) return;
    const d = glyph.path.toSVG();
    // Glyph space is y-up: flip it and place it on the pen.
    paths.push(`<path transform="translate(${(penX + pos.xOffset) * scale} 0) scale(${scale} ${-scale})" d="${d}"/>`);
    penX += pos.xAdvance;
  });
  const textX = 118;
  const baseline = 60 + (font.capHeight * scale) / 2;

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${LOGO_W}" height="${LOGO_H}" viewBox="0 0 ${LOGO_W} ${LOGO_H}">
  <defs>
    <linearGradient id="em" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#3FB58F"/>
      <stop offset="1" stop-color="#1F6F64"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="${LOGO_W - 8}" height="${LOGO_H - 8}" rx="${(LOGO_H - 8) / 2}" fill="#FFFFFF" fill-opacity="0.86"/>
  <circle cx="60" cy="60" r="40" fill="url(#em)"/>
  <path d="M60 28 C 84 40, 84 72, 60 92 C 36 72, 36 40, 60 28 Z" fill="#FFFFFF" fill-opacity="0.9"/>
  <path d="M60 36 L60 88" stroke="#2B8C76" stroke-width="3.5" stroke-linecap="round"/>
  <path d="M60 56 L71 47 M60 70 L49 61" stroke="#2B8C76" stroke-width="3" stroke-linecap="round"/>
  <g fill="#14213D" transform="translate(${textX} ${baseline})">${paths.join('')}</g>
</svg>`;
  const png = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
  return Buffer.from(png);
}

const [photo, logo] = await Promise.all([makePhoto(), makeLogo()]);
await writeFile(FILES.photo, photo);
await writeFile(FILES.logo, logo);
const meta = await Promise.all([sharp(photo).metadata(), sharp(logo).metadata()]);
console.log(`photo.jpg ${meta[0].width}x${meta[0].height} ${photo.length} bytes`);
console.log(`logo.png  ${meta[1].width}x${meta[1].height} ${meta[1].channels} channels, alpha=${meta[1].hasAlpha}, ${logo.length} bytes`);
