/**
 * Draws the default template images procedurally, deterministically (fixed seeds):
 *   lifestyle.jpg  1600×1600  sunlit plaster wall, window and leaf shadows, stone shelf
 *   product.png    1200×1400  amber glass pump bottle with champagne-gold pump, real alpha
 *
 * Run: npx tsx src/assets/images/make-images.ts
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import sharp from 'sharp';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------
// Deterministic randomness and noise

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash2(ix: number, iy: number, seed: number): number {
  let h = Math.imul(ix, 374761393) + Math.imul(iy, 668265263) + Math.imul(seed, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Value noise in [0, 1]. */
function vnoise(x: number, y: number, seed: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  const fx = smooth(x - ix);
  const fy = smooth(y - iy);
  const a = hash2(ix, iy, seed);
  const b = hash2(ix + 1, iy, seed);
  const c = hash2(ix, iy + 1, seed);
  const d = hash2(ix + 1, iy + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

function fbm(x: number, y: number, seed: number, octaves: number): number {
  let sum = 0;
  let amp = 0.5;
  let norm = 0;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * vnoise(x * f, y * f, seed + o * 101);
    norm += amp;
    amp *= 0.5;
    f *= 2.03;
  }
  return sum / norm;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

type Ctx = SKRSContext2D;

function layer(w: number, h: number): { canvas: Canvas; ctx: Ctx } {
  const canvas = createCanvas(w, h);
  return { canvas, ctx: canvas.getContext('2d') };
}

// ---------------------------------------------------------------------------
// Lifestyle backdrop

const LW = 1600;
const LH = 1600;
const SHELF_TOP = 1196; // wall meets the back of the shelf
const SHELF_FRONT = 1312; // front edge of the shelf's top face

/** Palm frond: a curved rachis with tapering leaflets either side. */
function palmFrond(ctx: Ctx, rnd: () => number, x0: number, y0: number, x1: number, y1: number, bend: number, leafLen: number): void {
  const mx = (x0 + x1) / 2 + bend * (y1 - y0);
  const my = (y0 + y1) / 2 - bend * (x1 - x0);
  const point = (t: number): [number, number] => [
    (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * mx + t * t * x1,
    (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * my + t * t * y1,
  ];
  ctx.lineCap = 'round';
  ctx.lineWidth = 9;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.quadraticCurveTo(mx, my, x1, y1);
  ctx.stroke();
  const n = 26;
  for (let i = 2; i < n; i++) {
    const t = i / n;
    const [px, py] = point(t);
    const [qx, qy] = point(Math.min(1, t + 0.01));
    const ang = Math.atan2(qy - py, qx - px);
    const len = leafLen * Math.sin(Math.PI * (0.15 + 0.85 * t)) * (0.85 + 0.3 * rnd());
    const width = len * 0.11;
    for (const side of [-1, 1]) {
      const a = ang + side * (0.75 + 0.2 * rnd()) + 0.18;
      ctx.save();
      ctx.translate(px, py);
      ctx.rotate(a);
      ctx.beginPath();
      ctx.moveTo(0, 0);
      ctx.bezierCurveTo(len * 0.3, -width, len * 0.7, -width * 0.8, len, side * len * 0.06);
      ctx.bezierCurveTo(len * 0.7, width * 0.6, len * 0.3, width * 0.9, 0, 0);
      ctx.fill();
      ctx.restore();
    }
  }
}

/** Monstera leaf: heart-shaped blade with side slits and a few holes. */
function monstera(ctx: Ctx, cx: number, cy: number, size: number, rot: number): void {
  const { canvas: lc, ctx: l } = layer(LW, LH);
  l.translate(cx, cy);
  l.rotate(rot);
  l.scale(size, size);
  l.fillStyle = '#000';
  // blade, tip at (0,-1), notch at stem (0, 0.85)
  l.beginPath();
  l.moveTo(0, 0.78);
  l.bezierCurveTo(-0.35, 1.0, -0.95, 0.75, -0.98, 0.1);
  l.bezierCurveTo(-1.0, -0.55, -0.45, -0.98, 0, -1.05);
  l.bezierCurveTo(0.45, -0.98, 1.0, -0.55, 0.98, 0.1);
  l.bezierCurveTo(0.95, 0.75, 0.35, 1.0, 0, 0.78);
  l.fill();
  // stem
  l.lineWidth = 0.06;
  l.lineCap = 'round';
  l.strokeStyle = '#000';
  l.beginPath();
  l.moveTo(0, 0.8);
  l.quadraticCurveTo(0.08, 1.5, 0.3, 2.4);
  l.stroke();
  // slits: wedges from the margin toward the midrib, swept toward the tip
  l.globalCompositeOperation = 'destination-out';
  const slits = 6;
  for (const side of [-1, 1]) {
    for (let i = 0; i < slits; i++) {
      const y0 = lerp(0.55, -0.72, i / (slits - 1)) + (side > 0 ? 0.06 : 0);
      const inner = 0.16 + 0.1 * Math.sin(i * 2.3 + side);
      const sweep = 0.42 + 0.14 * (i / slits);
      const w = 0.05 + 0.025 * ((i + (side > 0 ? 1 : 0)) % 2);
      l.beginPath();
      l.moveTo(side * inner, y0);
      l.quadraticCurveTo(side * 0.6, y0 - sweep * 0.35, side * 1.3, y0 - sweep - w);
      l.lineTo(side * 1.3, y0 - sweep + w);
      l.quadraticCurveTo(side * 0.6, y0 - sweep * 0.35 + w * 0.8, side * inner, y0 + 0.012);
      l.closePath();
      l.fill();
      // small oval holes between the slits, near the midrib
      if (i > 0 && i < slits - 1 && (i + (side > 0 ? 1 : 0)) % 2 === 0) {
        l.beginPath();
        l.ellipse(side * 0.1, y0 + 0.1, 0.035, 0.07, side * 0.5, 0, Math.PI * 2);
        l.fill();
      }
    }
  }
  // midrib lightens a touch (leaf translucency)
  l.globalCompositeOperation = 'destination-out';
  l.globalAlpha = 0.25;
  l.lineWidth = 0.025;
  l.beginPath();
  l.moveTo(0, 0.78);
  l.quadraticCurveTo(0.05, -0.1, 0, -1.0);
  l.stroke();
  ctx.drawImage(lc, 0, 0);
}

function makeLifestyle(): Buffer {
  const rnd = mulberry32(1600);

  // --- sunlight mask: white where the window lets light through
  const { canvas: sunC, ctx: s } = layer(LW, LH);
  s.fillStyle = '#000';
  s.fillRect(0, 0, LW, LH);
  s.filter = 'blur(26px)';
  s.fillStyle = '#fff';
  s.save();
  // window projected on the wall: panes sheared by the low afternoon sun
  s.setTransform(1, 0.05, 0.36, 1, -940, -510);
  const paneW = 1000;
  const paneH = 800;
  const mull = 56;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      s.fillRect(c * (paneW + mull), r * (paneH + mull), paneW, paneH);
    }
  }
  s.restore();
  s.filter = 'none';

  // --- occluders (leaves), as alpha
  const { canvas: occC, ctx: o } = layer(LW, LH);
  o.fillStyle = '#000';
  o.strokeStyle = '#000';
  // palm fronds from the top-right, close to the wall: crisp-ish
  const { canvas: palmC, ctx: p } = layer(LW, LH);
  p.fillStyle = '#000';
  p.strokeStyle = '#000';
  palmFrond(p, rnd, 1720, -120, 1050, 520, 0.22, 270);
  palmFrond(p, rnd, 1700, -60, 1420, 720, -0.18, 200);
  palmFrond(p, rnd, 1760, 160, 1240, 380, 0.3, 150);
  o.filter = 'blur(7px)';
  o.globalAlpha = 0.78;
  o.drawImage(palmC, 0, 0);
  // monstera lower-left, further from the wall: softer
  const { canvas: monC, ctx: m } = layer(LW, LH);
  monstera(m, 150, 930, 300, 0.5);
  monstera(m, -40, 560, 230, 1.1);
  o.filter = 'blur(14px)';
  o.globalAlpha = 0.72;
  o.drawImage(monC, 0, 0);
  o.filter = 'none';
  o.globalAlpha = 1;

  const sun = sunC.getContext('2d').getImageData(0, 0, LW, LH).data;
  const occ = occC.getContext('2d').getImageData(0, 0, LW, LH).data;

  const out = Buffer.alloc(LW * LH * 3);
  const grain = mulberry32(77);
  // warm sun, slightly cool skylight ambient
  const sunR = 0.34;
  const sunG = 0.31;
  const sunB = 0.25;
  const ambR = 0.75;
  const ambG = 0.73;
  const ambB = 0.72;

  for (let y = 0; y < LH; y++) {
    for (let x = 0; x < LW; x++) {
      const i = y * LW + x;
      const lit = ((sun[i * 4] ?? 0) / 255) * (1 - (occ[i * 4 + 3] ?? 0) / 255);
      let ar: number;
      let ag: number;
      let ab: number;
      let amb: number;
      let sunK: number;
      if (y < SHELF_TOP) {
        // limewash plaster: broad mottling plus fine trowel texture
        const mott = fbm(x / 420, y / 420, 11, 4) - 0.5;
        const trowel = fbm(x / 60 + y / 200, y / 38, 23, 3) - 0.5;
        const fine = vnoise(x / 3.2, y / 3.2, 31) - 0.5;
        const t = 1 + mott * 0.09 + trowel * 0.035 + fine * 0.02;
        ar = 240 * t;
        ag = 233 * t;
        ab = 223 * t;
        // ambient falls off toward the top corners, occlusion just above the shelf
        const dx = (x - LW / 2) / LW;
        const dy = (y - LH * 0.55) / LH;
        amb = 1 - 0.22 * (dx * dx + dy * dy) * 2;
        const ao = Math.exp(-(SHELF_TOP - y) / 38);
        amb *= 1 - 0.28 * ao;
        sunK = 1 - 0.5 * ao;
        // warm bounce off the stone
        const bounce = Math.exp(-(SHELF_TOP - y) / 260) * 0.05;
        ar *= 1 + bounce;
        ag *= 1 + bounce * 0.6;
      } else {
        // travertine: horizontal veining and small pits
        const vein = fbm(x / 380, y / 16, 41, 4) - 0.5;
        const vein2 = fbm(x / 90, y / 30, 53, 3) - 0.5;
        const pit = vnoise(x / 5, y / 2.5, 61);
        const pitK = pit > 0.93 ? (pit - 0.93) * 1.2 : 0;
        const t = 1 + vein * 0.08 + vein2 * 0.035 - pitK;
        ar = 236 * t;
        ag = 222 * t;
        ab = 202 * t;
        if (y < SHELF_FRONT) {
          const depth = (y - SHELF_TOP) / (SHELF_FRONT - SHELF_TOP);
          amb = 1.02 * (0.78 + 0.22 * smooth(clamp(depth * 2.2, 0, 1)));
          sunK = 1.08;
          // bevelled front edge catches the light
          const edge = SHELF_FRONT - y;
          if (edge < 6) {
            const k = 1 - edge / 6;
            amb += 0.1 * k;
          }
        } else {
          const d = (y - SHELF_FRONT) / (LH - SHELF_FRONT);
          amb = 0.97 - 0.12 * d;
          sunK = 0.3;
          if (y - SHELF_FRONT < 4) amb -= 0.08 * (1 - (y - SHELF_FRONT) / 4);
          const dx = (x - LW / 2) / LW;
          amb *= 1 - 0.2 * dx * dx;
          ar *= 1.03;
          ab *= 0.96;
        }
      }
      const g = (grain() - 0.5) * 7 + (grain() - 0.5) * 5;
      const r = ar * (ambR * amb + sunR * lit * sunK) + g;
      const gg = ag * (ambG * amb + sunG * lit * sunK) + g;
      const b = ab * (ambB * amb + sunB * lit * sunK) + g;
      out[i * 3] = clamp(Math.round(r), 0, 255);
      out[i * 3 + 1] = clamp(Math.round(gg), 0, 255);
      out[i * 3 + 2] = clamp(Math.round(b), 0, 255);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Product: amber glass pump bottle

const PW = 1200;
const PH = 1400;
const CX = 600;
const R = 330; // body half-width
const E = 34; // ellipse minor radius of the body (camera slightly above)
const BODY_TOP = 560; // shoulder meets the straight wall
const BODY_BOTTOM = 1282; // bottom ellipse centre
const NECK = 128;
const NECK_Y = 452;
const LABEL_TOP = 770;
const LABEL_H = 370;

function bodyPath(ctx: Ctx): void {
  ctx.beginPath();
  ctx.moveTo(CX - NECK, NECK_Y - 10);
  ctx.bezierCurveTo(CX - NECK - 120, NECK_Y - 4, CX - R, BODY_TOP - 90, CX - R, BODY_TOP);
  ctx.lineTo(CX - R, BODY_BOTTOM);
  ctx.ellipse(CX, BODY_BOTTOM, R, E, 0, Math.PI, 0, true);
  ctx.lineTo(CX + R, BODY_TOP);
  ctx.bezierCurveTo(CX + R, BODY_TOP - 90, CX + NECK + 120, NECK_Y - 4, CX + NECK, NECK_Y - 10);
  ctx.closePath();
}

function hGradient(ctx: Ctx, x0: number, x1: number, stops: ReadonlyArray<readonly [number, string]>): ReturnType<Ctx["createLinearGradient"]> {
  const g = ctx.createLinearGradient(x0, 0, x1, 0);
  for (const [o, c] of stops) g.addColorStop(o, c);
  return g;
}

const METAL: ReadonlyArray<readonly [number, string]> = [
  [0, '#3a2c1d'],
  [0.06, '#6f5a40'],
  [0.16, '#cdb592'],
  [0.25, '#fbf0dc'],
  [0.31, '#efdcbb'],
  [0.42, '#a88e6a'],
  [0.56, '#7d6547'],
  [0.7, '#b89d78'],
  [0.8, '#e6d2ae'],
  [0.87, '#c2a883'],
  [0.95, '#5e4a33'],
  [1, '#2e2216'],
];

/** Metal cylinder from y0 to y1 (front), with elliptical top and bottom. */
function metalCylinder(ctx: Ctx, hw: number, y0: number, y1: number, e: number, ribs: number): void {
  ctx.save();
  ctx.beginPath();
  ctx.moveTo(CX - hw, y0);
  ctx.lineTo(CX - hw, y1);
  ctx.ellipse(CX, y1, hw, e, 0, Math.PI, 0, true);
  ctx.lineTo(CX + hw, y0);
  ctx.ellipse(CX, y0, hw, e, 0, 0, Math.PI, true);
  ctx.closePath();
  ctx.fillStyle = hGradient(ctx, CX - hw, CX + hw, METAL);
  ctx.fill();
  ctx.clip();
  if (ribs > 0) {
    for (let k = 1; k < ribs; k++) {
      const phi = -Math.PI / 2 + (Math.PI * k) / ribs;
      const x = CX + hw * Math.sin(phi);
      const w = Math.max(0.4, 2.2 * Math.cos(phi));
      ctx.fillStyle = 'rgba(40,28,16,0.22)';
      ctx.fillRect(x - w / 2, y0 - e, w, y1 - y0 + 2 * e + 2);
      ctx.fillStyle = 'rgba(255,248,232,0.16)';
      ctx.fillRect(x + w / 2, y0 - e, w * 0.8, y1 - y0 + 2 * e + 2);
    }
  }
  // top and bottom darkening for roundness
  const v = ctx.createLinearGradient(0, y0 - e, 0, y1 + e);
  v.addColorStop(0, 'rgba(255,246,228,0.35)');
  v.addColorStop(0.12, 'rgba(255,246,228,0)');
  v.addColorStop(0.85, 'rgba(30,20,10,0)');
  v.addColorStop(1, 'rgba(30,20,10,0.35)');
  ctx.fillStyle = v;
  ctx.fillRect(CX - hw, y0 - e, hw * 2, y1 - y0 + 2 * e + 2);
  ctx.restore();
  // top face
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(CX, y0, hw, e, 0, 0, Math.PI * 2);
  const tg = ctx.createLinearGradient(CX - hw, y0 - e, CX + hw, y0 + e);
  tg.addColorStop(0, '#fff3dc');
  tg.addColorStop(0.45, '#d8c09a');
  tg.addColorStop(1, '#8a7152');
  ctx.fillStyle = tg;
  ctx.fill();
  ctx.restore();
}

function labelArt(): Canvas {
  const W = 1100;
  const H = LABEL_H;
  const { canvas, ctx } = layer(W, H);
  ctx.fillStyle = '#f1e9dc';
  ctx.fillRect(0, 0, W, H);
  // paper tooth
  const rnd = mulberry32(9);
  for (let i = 0; i < 9000; i++) {
    ctx.fillStyle = rnd() < 0.5 ? 'rgba(120,100,80,0.05)' : 'rgba(255,255,255,0.08)';
    ctx.fillRect(rnd() * W, rnd() * H, 1.5, 1.5);
  }
  const cx = W / 2;
  const ink = '#2f2822';
  const bronze = '#9a7a55';
  // hairlines
  ctx.fillStyle = bronze;
  ctx.fillRect(0, 22, W, 2);
  ctx.fillRect(0, H - 24, W, 2);
  // terracotta band at the foot
  ctx.fillStyle = '#c6866a';
  ctx.fillRect(0, H - 62, W, 26);
  // emblem: ring with an arch and a sun disc
  ctx.strokeStyle = ink;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(cx, 108, 44, 0, Math.PI * 2);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(cx - 20, 136);
  ctx.lineTo(cx - 20, 104);
  ctx.arc(cx, 104, 20, Math.PI, 0);
  ctx.lineTo(cx + 20, 136);
  ctx.stroke();
  ctx.fillStyle = '#c6866a';
  ctx.beginPath();
  ctx.arc(cx, 104, 9, 0, Math.PI * 2);
  ctx.fill();
  // wordmark placeholder: a confident bar with rounded ends
  ctx.fillStyle = ink;
  const bar = (w: number, y: number, h: number): void => {
    ctx.beginPath();
    ctx.roundRect(cx - w / 2, y, w, h, h / 2);
    ctx.fill();
  };
  bar(230, 180, 12);
  // thin rule with diamonds
  ctx.fillStyle = bronze;
  ctx.fillRect(cx - 120, 220, 240, 1.5);
  for (const dx of [-128, 128]) {
    ctx.save();
    ctx.translate(cx + dx, 220.75);
    ctx.rotate(Math.PI / 4);
    ctx.fillRect(-3.5, -3.5, 7, 7);
    ctx.restore();
  }
  // fine print: rows of soft light strokes
  ctx.fillStyle = 'rgba(47,40,34,0.38)';
  const widths = [160, 132];
  widths.forEach((w, i) => bar(w, 242 + i * 14, 5));
  return canvas;
}

function makeProduct(): Buffer {
  const { canvas, ctx } = layer(PW, PH);

  // --- glass body
  ctx.save();
  bodyPath(ctx);
  ctx.fillStyle = hGradient(ctx, CX - R, CX + R, [
    [0, '#160703'],
    [0.04, '#331405'],
    [0.12, '#6e300c'],
    [0.21, '#a0501a'],
    [0.3, '#8a4213'],
    [0.48, '#66300d'],
    [0.68, '#542709'],
    [0.84, '#431e07'],
    [0.93, '#6a320e'],
    [0.975, '#3a1906'],
    [1, '#140602'],
  ]);
  ctx.fill();
  ctx.clip();

  // shoulder: darker, reflects less
  const sh = ctx.createLinearGradient(0, NECK_Y, 0, BODY_TOP + 60);
  sh.addColorStop(0, 'rgba(20,6,0,0.55)');
  sh.addColorStop(1, 'rgba(20,6,0,0)');
  ctx.fillStyle = sh;
  ctx.fillRect(0, NECK_Y - 20, PW, BODY_TOP + 80 - NECK_Y);

  // thick glass base: warm caustic glow and a refracted inner edge
  ctx.save();
  ctx.globalCompositeOperation = 'screen';
  ctx.filter = 'blur(18px)';
  ctx.fillStyle = 'rgba(255,150,60,0.55)';
  ctx.beginPath();
  ctx.ellipse(CX - 30, BODY_BOTTOM - 14, R * 0.8, 38, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.filter = 'blur(3px)';
  ctx.strokeStyle = 'rgba(255,190,120,0.5)';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.ellipse(CX, BODY_BOTTOM - 42, R - 16, E - 6, 0, 0.12, Math.PI - 0.12);
  ctx.stroke();
  ctx.restore();
  ctx.fillStyle = 'rgba(20,6,0,0.35)';
  ctx.beginPath();
  ctx.ellipse(CX, BODY_BOTTOM + 6, R, E, 0, 0.05, Math.PI - 0.05);
  ctx.ellipse(CX, BODY_BOTTOM - 30, R - 10, E - 4, 0, Math.PI - 0.05, 0.05, true);
  ctx.fill();

  // reflections of a tall softbox (left) and a strip light (right)
  ctx.save();
  ctx.globalCompositeOperation = 'screen';
  ctx.filter = 'blur(30px)';
  ctx.fillStyle = 'rgba(255,215,170,0.30)';
  ctx.fillRect(CX - R * 0.86, BODY_TOP - 40, R * 0.42, BODY_BOTTOM - BODY_TOP);
  ctx.filter = 'blur(5px)';
  const streak = ctx.createLinearGradient(0, BODY_TOP - 60, 0, BODY_BOTTOM);
  streak.addColorStop(0, 'rgba(255,245,230,0.0)');
  streak.addColorStop(0.08, 'rgba(255,245,230,0.85)');
  streak.addColorStop(0.85, 'rgba(255,240,220,0.75)');
  streak.addColorStop(1, 'rgba(255,240,220,0.0)');
  ctx.fillStyle = streak;
  ctx.beginPath();
  ctx.roundRect(CX - R * 0.7, BODY_TOP - 40, 30, BODY_BOTTOM - BODY_TOP + 10, 15);
  ctx.fill();
  ctx.fillStyle = 'rgba(255,240,220,0.4)';
  ctx.beginPath();
  ctx.roundRect(CX - R * 0.58, BODY_TOP - 10, 9, BODY_BOTTOM - BODY_TOP - 40, 5);
  ctx.fill();
  // right strip
  ctx.filter = 'blur(4px)';
  ctx.fillStyle = 'rgba(255,225,190,0.38)';
  ctx.beginPath();
  ctx.roundRect(CX + R * 0.66, BODY_TOP, 14, BODY_BOTTOM - BODY_TOP - 30, 7);
  ctx.fill();
  // rim light along the right edge and shoulder
  ctx.filter = 'blur(3px)';
  ctx.strokeStyle = 'rgba(255,210,160,0.7)';
  ctx.lineWidth = 5;
  ctx.beginPath();
  ctx.moveTo(CX + NECK + 30, NECK_Y + 4);
  ctx.bezierCurveTo(CX + R - 40, NECK_Y + 30, CX + R - 7, BODY_TOP - 50, CX + R - 7, BODY_TOP + 10);
  ctx.lineTo(CX + R - 7, BODY_BOTTOM);
  ctx.stroke();
  // shoulder highlight catching the key light
  ctx.filter = 'blur(10px)';
  ctx.strokeStyle = 'rgba(255,236,210,0.75)';
  ctx.lineWidth = 18;
  ctx.beginPath();
  ctx.moveTo(CX - NECK - 25, NECK_Y + 12);
  ctx.bezierCurveTo(CX - NECK - 110, NECK_Y + 22, CX - R * 0.72, BODY_TOP - 50, CX - R * 0.66, BODY_TOP - 10);
  ctx.stroke();
  ctx.restore();

  // --- label, wrapped around the cylinder
  const art = labelArt();
  const aw = art.width;
  for (let dx = -R + 1; dx < R; dx++) {
    const s = dx / R;
    const theta = Math.asin(s);
    const sx = (theta / Math.PI + 0.5) * aw;
    const shift = E * Math.cos(theta);
    const x = CX + dx;
    const y = LABEL_TOP + shift;
    ctx.drawImage(art, Math.floor(sx), 0, Math.max(1, Math.ceil(aw / (Math.PI * R * Math.max(0.05, Math.cos(theta))))), LABEL_H, x, y, 1, LABEL_H);
    // diffuse shading: key from front-left, fill from right
    const nx = s;
    const nz = Math.cos(theta);
    const key = clamp(-0.38 * nx + 0.92 * nz, 0, 1);
    const fill = clamp(0.7 * nx + 0.3 * nz, 0, 1);
    const light = 0.26 + 0.8 * key + 0.14 * fill;
    const k = clamp(light, 0, 1);
    ctx.fillStyle = `rgba(${Math.round(lerp(70, 255, k))},${Math.round(lerp(52, 255, k))},${Math.round(lerp(36, 255, k))},1)`;
    ctx.globalCompositeOperation = 'multiply';
    ctx.fillRect(x, y, 1, LABEL_H);
    ctx.globalCompositeOperation = 'source-over';
    // label edge: thin shadow line just below, paper edge highlight above
    ctx.fillStyle = 'rgba(15,5,0,0.45)';
    ctx.fillRect(x, y + LABEL_H, 1, 3);
    ctx.fillStyle = 'rgba(255,240,220,0.35)';
    ctx.fillRect(x, y - 1, 1, 1);
  }
  // soft sheen on the label paper
  ctx.save();
  ctx.globalCompositeOperation = 'screen';
  ctx.filter = 'blur(40px)';
  ctx.fillStyle = 'rgba(255,250,240,0.22)';
  ctx.fillRect(CX - R * 0.62, LABEL_TOP + 30, R * 0.35, LABEL_H);
  ctx.restore();

  // edge darkening over everything (Fresnel-ish falloff)
  ctx.fillStyle = hGradient(ctx, CX - R, CX + R, [
    [0, 'rgba(10,3,0,0.55)'],
    [0.05, 'rgba(10,3,0,0.0)'],
    [0.95, 'rgba(10,3,0,0.0)'],
    [1, 'rgba(10,3,0,0.5)'],
  ]);
  ctx.fillRect(CX - R, 0, 2 * R, PH);
  // occlusion under the collar
  const ao = ctx.createRadialGradient(CX, NECK_Y, 20, CX, NECK_Y, 260);
  ao.addColorStop(0, 'rgba(10,3,0,0.6)');
  ao.addColorStop(1, 'rgba(10,3,0,0)');
  ctx.fillStyle = ao;
  ctx.fillRect(0, NECK_Y - 40, PW, 300);
  ctx.restore();

  // --- pump: collar, stem, actuator head with nozzle
  const COLLAR_HW = 150;
  const COLLAR_TOP = 318;
  const COLLAR_BOTTOM = 452;
  metalCylinder(ctx, COLLAR_HW, COLLAR_TOP, COLLAR_BOTTOM, 16, 64);
  // inner ring on top of the collar
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(CX, COLLAR_TOP, 60, 7, 0, 0, Math.PI * 2);
  ctx.fillStyle = '#5d4a34';
  ctx.fill();
  ctx.restore();
  metalCylinder(ctx, 30, 228, COLLAR_TOP, 4, 0);

  // nozzle: horizontal tube to the right
  const NZ_Y = 148;
  const NZ_R = 20;
  const NZ_X1 = 860;
  ctx.save();
  ctx.beginPath();
  ctx.moveTo(CX, NZ_Y - NZ_R);
  ctx.lineTo(NZ_X1, NZ_Y - NZ_R + 3);
  ctx.ellipse(NZ_X1, NZ_Y + 1.5, 6, NZ_R - 1.5, 0, -Math.PI / 2, Math.PI / 2);
  ctx.lineTo(CX, NZ_Y + NZ_R);
  ctx.closePath();
  const ng = ctx.createLinearGradient(0, NZ_Y - NZ_R, 0, NZ_Y + NZ_R);
  ng.addColorStop(0, '#a78d69');
  ng.addColorStop(0.22, '#fbf0dc');
  ng.addColorStop(0.45, '#cdb48f');
  ng.addColorStop(0.8, '#6e583e');
  ng.addColorStop(1, '#3a2c1d');
  ctx.fillStyle = ng;
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse(NZ_X1 + 1, NZ_Y + 1.5, 4, 10, 0, 0, Math.PI * 2);
  ctx.fillStyle = '#2a1f14';
  ctx.fill();
  ctx.restore();

  // actuator head: cylinder with a domed top
  const HEAD_HW = 104;
  const HEAD_TOP = 100;
  const HEAD_BOTTOM = 232;
  metalCylinder(ctx, HEAD_HW, HEAD_TOP, HEAD_BOTTOM, 14, 0);
  // press pad: subtle concave ring on top
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(CX, HEAD_TOP, HEAD_HW - 12, 10, 0, 0, Math.PI * 2);
  const pg = ctx.createLinearGradient(CX - HEAD_HW, HEAD_TOP - 10, CX + HEAD_HW, HEAD_TOP + 10);
  pg.addColorStop(0, '#b49a74');
  pg.addColorStop(0.5, '#e9d7b6');
  pg.addColorStop(1, '#fff4e0');
  ctx.fillStyle = pg;
  ctx.fill();
  ctx.restore();
  // head's shadow onto the stem
  ctx.save();
  ctx.fillStyle = 'rgba(20,12,4,0.35)';
  ctx.filter = 'blur(4px)';
  ctx.fillRect(CX - 30, HEAD_BOTTOM + 10, 60, 14);
  ctx.restore();
  // collar specular ping
  ctx.save();
  ctx.globalCompositeOperation = 'screen';
  ctx.filter = 'blur(6px)';
  ctx.fillStyle = 'rgba(255,250,235,0.6)';
  ctx.fillRect(CX - COLLAR_HW * 0.62, COLLAR_TOP + 8, 12, COLLAR_BOTTOM - COLLAR_TOP - 10);
  ctx.fillRect(CX - HEAD_HW * 0.62, HEAD_TOP + 6, 9, HEAD_BOTTOM - HEAD_TOP - 10);
  ctx.restore();

  // --- very subtle contact shadow inside the alpha
  const { canvas: shC, ctx: shx } = layer(PW, PH);
  shx.filter = 'blur(10px)';
  shx.fillStyle = 'rgba(30,18,8,0.35)';
  shx.beginPath();
  shx.ellipse(CX, BODY_BOTTOM + E - 4, R * 0.96, 12, 0, 0, Math.PI * 2);
  shx.fill();
  shx.filter = 'none';
  shx.drawImage(canvas, 0, 0);
  void shC;
  const data = shx.getImageData(0, 0, PW, PH).data;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

// ---------------------------------------------------------------------------

const LICENSE = `# Default template images

\`lifestyle.jpg\` and \`product.png\` are drawn procedurally by
[\`make-images.ts\`](./make-images.ts) (run \`npx tsx src/assets/images/make-images.ts\`);
the generator uses fixed seeds, so the output is reproducible.

They contain no photographs, fonts, logos or other third-party material, and are
released under the project's licence, Apache-2.0 (see the repository's LICENSE).
`;

async function main(): Promise<void> {
  const lifestyle = makeLifestyle();
  await sharp(lifestyle, { raw: { width: LW, height: LH, channels: 3 } })
    .jpeg({ quality: 86, mozjpeg: true, chromaSubsampling: '4:2:0' })
    .toFile(join(OUT_DIR, 'lifestyle.jpg'));

  const product = makeProduct();
  await sharp(product, { raw: { width: PW, height: PH, channels: 4 } })
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toFile(join(OUT_DIR, 'product.png'));

  writeFileSync(join(OUT_DIR, 'LICENSE.md'), LICENSE);
  console.log('wrote lifestyle.jpg, product.png, LICENSE.md to', OUT_DIR);
}

await main();
