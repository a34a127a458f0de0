/**
 * Draws the logos of Adsmith's five public brands as font-free SVG.
 *
 *   npx tsx src/assets/brands/generate-logos.ts               # writes src/assets/brands/<id>/*.svg
 *   npx tsx src/assets/brands/generate-logos.ts --preview DIR # also renders PNG previews and contact sheets
 *
 * Lettering is outlined from the OFL fonts bundled as @fontsource packages
 * (fontkit applies the fonts' own kerning; optical corrections are listed per
 * brand), so every SVG renders identically with no fonts installed. Marks are
 * plain geometry. The output is deterministic: run it again and git shows no diff.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------- geometry

type Cmd = ['M' | 'L', number, number] | ['Q', number, number, number, number] | ['C', number, number, number, number, number, number] | ['Z'];
interface Box { x0: number; y0: number; x1: number; y1: number }
/** A drawable piece: its bounding box and its markup once moved by (dx, dy). */
interface Shape { box: Box; emit(dx: number, dy: number, k: number): string }

const EMPTY: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };

function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

function n(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

function cmdsBox(cmds: Cmd[]): Box {
  let box = EMPTY;
  for (const c of cmds) {
    for (let i = 1; i < c.length; i += 2) {
      const x = c[i] as number;
      const y = c[i + 1] as number;
      box = union(box, { x0: x, y0: y, x1: x, y1: y });
    }
  }
  return box;
}

/** Path data for `cmds` moved by (dx, dy), then scaled by k. */
function cmdsToD(cmds: Cmd[], dx: number, dy: number, k: number): string {
  let d = '';
  for (const c of cmds) {
    if (c[0] === 'Z') {
      d += 'Z';
      continue;
    }
    const [op, ...args] = c;
    d += op + args.map((v, i) => n((v + (i % 2 === 0 ? dx : dy)) * k)).join(' ');
  }
  return d;
}

/** One path element from one or more command lists. `evenodd` lets inner contours knock out. */
function path(cmdLists: Cmd[][], fill: string, evenodd = false): Shape {
  const all = cmdLists.flat();
  return {
    box: cmdsBox(all),
    emit: (dx, dy, k) => `<path fill="${fill}"${evenodd ? ' fill-rule="evenodd"' : ''} d="${cmdsToD(all, dx, dy, k)}"/>`,
  };
}

function transformCmds(cmds: Cmd[], f: (x: number, y: number) => [number, number]): Cmd[] {
  return cmds.map((c): Cmd => {
    if (c[0] === 'Z') return c;
    const out: number[] = [];
    for (let i = 1; i < c.length; i += 2) out.push(...f(c[i] as number, c[i + 1] as number));
    return [c[0], ...out] as Cmd;
  });
}

function rotate(cmds: Cmd[], deg: number, cx: number, cy: number): Cmd[] {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return transformCmds(cmds, (x, y) => [cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos]);
}

/** A smooth closed curve through points (Catmull-Rom as cubic Béziers). */
function smoothClosed(pts: Array<[number, number]>): Cmd[] {
  const at = (i: number): [number, number] => pts[((i % pts.length) + pts.length) % pts.length]!;
  const cmds: Cmd[] = [['M', ...at(0)]];
  for (let i = 0; i < pts.length; i++) {
    const [p0, p1, p2, p3] = [at(i - 1), at(i), at(i + 1), at(i + 2)];
    cmds.push(['C', p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]]);
  }
  cmds.push(['Z']);
  return cmds;
}

/** A superellipse (squircle when exponent ≈ 4–5), optionally with different top and bottom heights (a pebble). */
function superellipse(cx: number, cy: number, rx: number, ryTop: number, ryBottom: number, exponent: number, steps = 32): Cmd[] {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < steps; i++) {
    const t = (i / steps) * 2 * Math.PI;
    const c = Math.cos(t);
    const s = Math.sin(t);
    const x = Math.sign(c) * Math.abs(c) ** (2 / exponent) * rx;
    const y = Math.sign(s) * Math.abs(s) ** (2 / exponent) * (s < 0 ? ryTop : ryBottom);
    pts.push([cx + x, cy + y]);
  }
  return smoothClosed(pts);
}

const K = 0.5522847498;
function circleCmds(cx: number, cy: number, r: number, clockwise = true): Cmd[] {
  const k = r * K;
  const cw: Cmd[] = [
    ['M', cx, cy - r],
    ['C', cx + k, cy - r, cx + r, cy - k, cx + r, cy],
    ['C', cx + r, cy + k, cx + k, cy + r, cx, cy + r],
    ['C', cx - k, cy + r, cx - r, cy + k, cx - r, cy],
    ['C', cx - r, cy - k, cx - k, cy - r, cx, cy - r],
    ['Z'],
  ];
  if (clockwise) return cw;
  return [
    ['M', cx, cy - r],
    ['C', cx - k, cy - r, cx - r, cy - k, cx - r, cy],
    ['C', cx - r, cy + k, cx - k, cy + r, cx, cy + r],
    ['C', cx + k, cy + r, cx + r, cy + k, cx + r, cy],
    ['C', cx + r, cy - k, cx + k, cy - r, cx, cy - r],
    ['Z'],
  ];
}

function roundRect(x: number, y: number, w: number, h: number, r: number): Cmd[] {
  const k = r * (1 - K);
  return [
    ['M', x + r, y],
    ['L', x + w - r, y],
    ['C', x + w - k, y, x + w, y + k, x + w, y + r],
    ['L', x + w, y + h - r],
    ['C', x + w, y + h - k, x + w - k, y + h, x + w - r, y + h],
    ['L', x + r, y + h],
    ['C', x + k, y + h, x, y + h - k, x, y + h - r],
    ['L', x, y + r],
    ['C', x, y + k, x + k, y, x + r, y],
    ['Z'],
  ];
}

function polygon(pts: Array<[number, number]>): Cmd[] {
  return [['M', ...pts[0]!], ...pts.slice(1).map((p): Cmd => ['L', ...p]), ['Z']];
}

/** A leaf: two mirrored quadratic arcs from base to tip, `width` across at the middle. */
function leaf(bx: number, by: number, length: number, width: number, deg: number): Cmd[] {
  const tipX = bx + length;
  const bulge = width; // a quadratic's apex sits halfway to its control point
  return rotate(
    [
      ['M', bx, by],
      ['Q', bx + length * 0.45, by - bulge, tipX, by],
      ['Q', bx + length * 0.55, by + bulge, bx, by],
      ['Z'],
    ],
    deg,
    bx,
    by,
  );
}

// ---------------------------------------------------------------- lettering

const fonts = new Map<string, fontkit.Font>();
function loadFont(pkg: string, weight: number): fontkit.Font {
  const key = `${pkg}-${weight}`;
  let font = fonts.get(key);
  if (!font) {
    font = fontkit.openSync(require.resolve(`@fontsource/${pkg}/files/${pkg}-latin-${weight}-normal.woff2`)) as fontkit.Font;
    fonts.set(key, font);
  }
  return font;
}

interface TextOptions {
  /** Cap height in design units (the letters are scaled so capitals are this tall). */
  cap: number;
  x?: number;
  baseline?: number;
  /** Extra space between letters, in fractions of the cap height. */
  tracking?: number;
  /** Optical kerning corrections: extra space after glyph i, in fractions of the cap height. */
  kern?: Record<number, number>;
  /** Slant in degrees (positive leans right). */
  skew?: number;
}

interface Lettering {
  /** Per glyph, its contours. */
  glyphs: Cmd[][][];
  box: Box;
  width: number;
}

function letter(pkg: string, weight: number, text: string, o: TextOptions): Lettering {
  const font = loadFont(pkg, weight);
  const s = o.cap / font.capHeight;
  const x = o.x ?? 0;
  const base = o.baseline ?? 0;
  const slant = Math.tan(((o.skew ?? 0) * Math.PI) / 180);
  const run = font.layout(text);
  let pen = 0;
  const glyphs: Cmd[][][] = [];
  run.glyphs.forEach((g, i) => {
    const pos = run.positions[i]!;
    const gx = pen + pos.xOffset;
    const gy = pos.yOffset;
    const map = (px: number, py: number): [number, number] => {
      const fy = (py + gy) * s;
      return [x + (gx + px) * s + slant * fy, base - fy];
    };
    const contours: Cmd[][] = [];
    let cur: Cmd[] = [];
    for (const c of g.path.commands) {
      const a = c.args;
      if (c.command === 'moveTo') {
        if (cur.length) contours.push(cur);
        cur = [['M', ...map(a[0]!, a[1]!)]];
      } else if (c.command === 'lineTo') cur.push(['L', ...map(a[0]!, a[1]!)]);
      else if (c.command === 'quadraticCurveTo') cur.push(['Q', ...map(a[0]!, a[1]!), ...map(a[2]!, a[3]!)]);
      else if (c.command === 'bezierCurveTo') cur.push(['C', ...map(a[0]!, a[1]!), ...map(a[2]!, a[3]!), ...map(a[4]!, a[5]!)]);
      else if (c.command === 'closePath') cur.push(['Z']);
    }
    if (cur.length) contours.push(cur);
    glyphs.push(contours);
    pen += pos.xAdvance;
    if (i < run.glyphs.length - 1) pen += ((o.tracking ?? 0) + (o.kern?.[i] ?? 0)) * font.capHeight;
  });
  const box = cmdsBox(glyphs.flat(2));
  return { glyphs, box, width: box.x1 - box.x0 };
}

/** Letter-spacing (in cap-height fractions) that makes `text` exactly `width` wide. */
function trackingToWidth(pkg: string, weight: number, text: string, cap: number, width: number): number {
  const natural = letter(pkg, weight, text, { cap }).width;
  const gaps = [...text].length - 1;
  return (width - natural) / gaps / cap;
}

function lettering(l: Lettering, fill: string): Shape {
  return path(l.glyphs.flat(), fill);
}

function moveLettering(l: Lettering, dx: number, dy: number): Lettering {
  const glyphs = l.glyphs.map((g) => g.map((c) => transformCmds(c, (x, y) => [x + dx, y + dy])));
  return { glyphs, box: { x0: l.box.x0 + dx, y0: l.box.y0 + dy, x1: l.box.x1 + dx, y1: l.box.y1 + dy }, width: l.width };
}

// ---------------------------------------------------------------- composing

interface Artwork { shapes: Shape[]; /** Clear space around the art, in design units. */ pad: number }

/**
 * An SVG whose viewBox starts at 0 0: `wide` logos get a 4:1 to 5:1 frame,
 * icons a square one, with the art centred.
 */
function svg(title: string, art: Artwork, frame: 'wide' | 'square'): string {
  const box = art.shapes.reduce((b, s) => union(b, s.box), EMPTY);
  const cw = box.x1 - box.x0;
  const ch = box.y1 - box.y0;
  let w = cw + 2 * art.pad;
  let h = ch + 2 * art.pad;
  if (frame === 'square') w = h = Math.max(w, h);
  else if (w / h < 4) w = 4 * h;
  else if (w / h > 5) h = w / 5;
  const scale = frame === 'square' ? 64 / w : 60 / h; // icons live in 0 0 64 64; logos are 60 tall
  const dx = (w - cw) / 2 - box.x0;
  const dy = (h - ch) / 2 - box.y0;
  const body = art.shapes.map((s) => s.emit(dx, dy, scale)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${n(w * scale)} ${n(h * scale)}" role="img" aria-label="${title}"><title>${title}</title>${body}</svg>\n`;
}

// ---------------------------------------------------------------- the brands

interface Ink { [role: string]: string }
interface BrandArt {
  id: string;
  name: string;
  primary(ink: Ink): Artwork;
  icon(ink: Ink): Artwork;
  onLight: Ink;
  onDark: Ink;
}

// 167 — Aurelle, premium skincare. A sunrise in a ring; high-contrast serif capitals.
function aurelleMark(cx: number, cy: number, r: number, ink: Ink): Shape[] {
  const ring = r * 0.11;
  const horizon = cy + r * 0.2;
  const sunR = r * 0.48;
  const line = r * 0.1;
  const inner = r - ring;
  // Horizon: a bar across the ring's inner width, meeting the ring.
  const halfChord = Math.sqrt(inner * inner - (horizon - cy) ** 2) + ring * 0.5;
  const sun: Cmd[] = [
    ['M', cx - sunR, horizon - line / 2],
    ['C', cx - sunR, horizon - line / 2 - sunR * K, cx - sunR * K, horizon - line / 2 - sunR, cx, horizon - line / 2 - sunR],
    ['C', cx + sunR * K, horizon - line / 2 - sunR, cx + sunR, horizon - line / 2 - sunR * K, cx + sunR, horizon - line / 2],
    ['Z'],
  ];
  return [
    path([circleCmds(cx, cy, r), circleCmds(cx, cy, inner, false)], ink['mark']!),
    path([roundRect(cx - halfChord, horizon - line / 2, halfChord * 2, line, 0)], ink['mark']!),
    path([sun], ink['sun']!),
  ];
}

const aurelle: BrandArt = {
  id: '167',
  name: 'Aurelle',
  onLight: { word: '#2A1D1F', sub: '#7D3C4B', mark: '#2A1D1F', sun: '#7D3C4B' },
  onDark: { word: '#FBF7F3', sub: '#E6C3B8', mark: '#FBF7F3', sun: '#E6C3B8' },
  primary(ink) {
    const cap = 100;
    const word = letter('playfair-display', 500, 'AURELLE', { cap, tracking: 0.2, kern: { 0: -0.04, 3: -0.02, 4: -0.03, 5: -0.05 } });
    const subCap = 19;
    const sub = letter('lato', 700, 'SKIN ATELIER', { cap: subCap, tracking: trackingToWidth('lato', 700, 'SKIN ATELIER', subCap, word.width * 0.56) });
    const subY = subCap + 44;
    const subX = word.box.x0 + (word.width - sub.width) / 2 - sub.box.x0;
    const placed = moveLettering(sub, subX, subY);
    const ruleGap = 16;
    const ruleH = 2.2;
    const ruleY = subY - subCap / 2 - ruleH / 2;
    const rules = path(
      [
        roundRect(word.box.x0 + word.width * 0.06, ruleY, placed.box.x0 - ruleGap - (word.box.x0 + word.width * 0.06), ruleH, 0),
        roundRect(placed.box.x1 + ruleGap, ruleY, word.box.x1 - word.width * 0.06 - (placed.box.x1 + ruleGap), ruleH, 0),
      ],
      ink['sub']!,
    );
    return { shapes: [lettering(word, ink['word']!), lettering(placed, ink['sub']!), rules], pad: 34 };
  },
  icon(ink) {
    return { shapes: aurelleMark(32, 32, 28, ink), pad: 3 };
  },
};

// 166 — Voltra, energy drink. A bolt punched through a forward-leaning block; slanted condensed capitals.
function voltraBadge(x: number, y: number, h: number, ink: Ink): Shape[] {
  const lean = Math.tan((12 * Math.PI) / 180) * h;
  const w = h * 0.86;
  const block: Array<[number, number]> = [[x + lean, y], [x + lean + w, y], [x + w, y + h], [x, y + h]];
  const u = h / 100;
  const bx = x + lean * 0.5 + w * 0.5 - 4 * u;
  const by = y + h * 0.5;
  const bolt: Array<[number, number]> = [
    [bx + 14 * u, by - 38 * u],
    [bx - 20 * u, by + 6 * u],
    [bx + 1 * u, by + 6 * u],
    [bx - 8 * u, by + 38 * u],
    [bx + 28 * u, by - 10 * u],
    [bx + 6 * u, by - 10 * u],
    [bx + 14 * u, by - 38 * u],
  ].map(([px, py]): [number, number] => [px!, py!]);
  return [path([polygon(block)], ink['badge']!), path([polygon(bolt)], ink['bolt']!)];
}

const voltra: BrandArt = {
  id: '166',
  name: 'Voltra',
  onLight: { word: '#0F1012', badge: '#0F1012', bolt: '#C8F31D' },
  onDark: { word: '#F4F6EE', badge: '#C8F31D', bolt: '#0F1012' },
  primary(ink) {
    const cap = 100;
    const word = letter('bebas-neue', 400, 'VOLTRA', { cap, skew: 12, tracking: 0.03, kern: { 0: -0.03, 2: -0.04, 3: -0.03, 4: -0.02 } });
    const badgeH = cap * 1.16;
    const badge = voltraBadge(0, -cap - (badgeH - cap) / 2, badgeH, ink);
    const moved = moveLettering(word, badgeH * 0.86 + Math.tan((12 * Math.PI) / 180) * badgeH * 0.5 + cap * 0.2 - word.box.x0, 0);
    return { shapes: [...badge, lettering(moved, ink['word']!)], pad: 10 };
  },
  icon(ink) {
    return { shapes: voltraBadge(0, 0, 100, ink), pad: 6 };
  },
};

// 122 — Cairn Outfitters, outdoor gear. Three balanced stones; condensed capitals over a justified line.
function cairnStones(cx: number, base: number, s: number, ink: Ink): Shape[] {
  const gap = 3.2 * s;
  const b = { rx: 27 * s, top: 9 * s, bottom: 7.5 * s };
  const m = { rx: 19.5 * s, top: 8.2 * s, bottom: 6.8 * s };
  const t = { rx: 11.5 * s, top: 8 * s, bottom: 6 * s };
  const by = base - b.bottom;
  const my = by - b.top - gap - m.bottom;
  const ty = my - m.top - gap - t.bottom;
  return [
    path([rotate(superellipse(cx, by, b.rx, b.top, b.bottom, 2.6), -2.5, cx, by)], ink['stone']!),
    path([rotate(superellipse(cx + 1.2 * s, my, m.rx, m.top, m.bottom, 2.5), 3.5, cx + 1.2 * s, my)], ink['stone']!),
    path([rotate(superellipse(cx - 0.8 * s, ty, t.rx, t.top, t.bottom, 2.3), -5, cx - 0.8 * s, ty)], ink['top']!),
  ];
}

const cairn: BrandArt = {
  id: '122',
  name: 'Cairn Outfitters',
  onLight: { word: '#2B3A42', sub: '#2B3A42', stone: '#2B3A42', top: '#B8481C' },
  onDark: { word: '#F3EFE7', sub: '#D8C7A2', stone: '#F3EFE7', top: '#EE8450' },
  primary(ink) {
    const cap = 100;
    const word = letter('oswald', 600, 'CAIRN', { cap, tracking: 0.16, kern: { 1: -0.02 } });
    const subCap = 26;
    const sub = letter('oswald', 500, 'OUTFITTERS', { cap: subCap, tracking: trackingToWidth('oswald', 500, 'OUTFITTERS', subCap, word.width) });
    const gap = 22;
    const placedSub = moveLettering(sub, word.box.x0 - sub.box.x0, subCap + gap);
    const total = cap + gap + subCap;
    const stones = cairnStones(0, subCap + gap - total * 0.02, total / 55, ink);
    const sb = stones.reduce((b, s) => union(b, s.box), EMPTY);
    const dx = sb.x1 + total * 0.22 - word.box.x0;
    return { shapes: [...stones, lettering(moveLettering(word, dx, 0), ink['word']!), lettering(moveLettering(placedSub, dx, 0), ink['sub']!)], pad: 12 };
  },
  icon(ink) {
    return { shapes: cairnStones(32, 58, 1, ink), pad: 5 };
  },
};

// 121 — Parity, fintech app. Two equal bars, offset: money moving, books balanced.
function parityMark(x: number, y: number, size: number, ink: Ink): Shape[] {
  const u = size / 100;
  const body = superellipse(x + 50 * u, y + 50 * u, 50 * u, 50 * u, 50 * u, 4.6, 48);
  const barH = 15 * u;
  const barW = 52 * u;
  // The bars are cut out of the body, so the ground shows through on any colour.
  return [path([body, roundRect(x + 18 * u, y + 31 * u, barW, barH, barH / 2), roundRect(x + 30 * u, y + 54 * u, barW, barH, barH / 2)], ink['body']!, true)];
}

const parity: BrandArt = {
  id: '121',
  name: 'Parity',
  onLight: { word: '#16132B', dot: '#5B3DF5', body: '#5B3DF5' },
  onDark: { word: '#F2F0FF', dot: '#3FE0A5', body: '#3FE0A5' },
  primary(ink) {
    const cap = 100;
    const word = letter('space-grotesk', 600, 'parity', { cap, tracking: -0.035, kern: { 2: 0.01, 4: -0.02 } });
    // The tittle of the i (glyph 3, its upper contour) takes the brand colour.
    const i = word.glyphs[3]!;
    const tops = i.map((c) => cmdsBox(c).y0);
    const dotIndex = tops.indexOf(Math.min(...tops));
    const stems = word.glyphs.flatMap((g, gi) => (gi === 3 ? g.filter((_, ci) => ci !== dotIndex) : g));
    const markSize = cap * 1.12;
    const xHeight = loadFont('space-grotesk', 600).xHeight / loadFont('space-grotesk', 600).capHeight * cap;
    const mark = parityMark(0, -xHeight / 2 - markSize / 2, markSize, ink);
    const dx = markSize * 1.24 - word.box.x0;
    const move = (c: Cmd[]): Cmd[] => transformCmds(c, (x, y) => [x + dx, y]);
    return {
      shapes: [...mark, path(stems.map(move), ink['word']!), path([move(i[dotIndex]!)], ink['dot']!)],
      pad: 10,
    };
  },
  icon(ink) {
    return { shapes: parityMark(0, 0, 100, ink), pad: 0 };
  },
};

// 120 — Pluck, fresh grocery delivery. A lowercase wordmark whose l sprouts a leaf; a just-picked fruit.
function pluckFruit(cx: number, cy: number, r: number, ink: Ink): Shape[] {
  const fruit = superellipse(cx, cy, r, r * 0.92, r * 0.98, 2.15, 40);
  const stem: Cmd[] = rotate(roundRect(cx - r * 0.09, cy - r * 1.28, r * 0.18, r * 0.5, r * 0.09), 12, cx, cy - r * 0.8);
  return [
    path([fruit], ink['fruit']!),
    path([stem], ink['stem']!),
    path([leaf(cx + r * 0.04, cy - r * 0.98, r * 0.86, r * 0.3, -28)], ink['leaf']!),
  ];
}

const pluck: BrandArt = {
  id: '120',
  name: 'Pluck',
  onLight: { word: '#1F7A3D', leaf: '#3FA45B', fruit: '#C4351E', stem: '#1B2A1E', leafIcon: '#1F7A3D' },
  onDark: { word: '#FFFAF0', leaf: '#9BE07A', fruit: '#FF8A66', stem: '#FFFAF0', leafIcon: '#9BE07A' },
  primary(ink) {
    const cap = 100;
    const word = letter('poppins', 700, 'pluck', { cap, tracking: -0.03, kern: { 0: 0.02, 1: 0.01 } });
    const l = cmdsBox(word.glyphs[1]!.flat());
    const sprout = leaf(l.x1 - (l.x1 - l.x0) * 0.18, l.y0 + (l.x1 - l.x0) * 0.35, cap * 0.62, cap * 0.21, -38);
    return { shapes: [lettering(word, ink['word']!), path([sprout], ink['leaf']!)], pad: 14 };
  },
  icon(ink) {
    return { shapes: pluckFruit(32, 36, 24, { ...ink, leaf: ink['leafIcon']! }), pad: 4 };
  },
};

export const BRAND_ART: readonly BrandArt[] = [aurelle, voltra, cairn, parity, pluck];

// ---------------------------------------------------------------- output

export function renderLogos(): Map<string, string> {
  const files = new Map<string, string>();
  for (const b of BRAND_ART) {
    files.set(`${b.id}/logo-on-light.svg`, svg(b.name, b.primary(b.onLight), 'wide'));
    files.set(`${b.id}/logo-on-dark.svg`, svg(b.name, b.primary(b.onDark), 'wide'));
    files.set(`${b.id}/icon-on-light.svg`, svg(b.name, b.icon(b.onLight), 'square'));
    files.set(`${b.id}/icon-on-dark.svg`, svg(b.name, b.icon(b.onDark), 'square'));
  }
  return files;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

async function preview(dir: string, files: Map<string, string>): Promise<void> {
  const { Resvg } = await import('@resvg/resvg-js');
  mkdirSync(dir, { recursive: true });
  const png = (svgText: string, width: number): Buffer => Buffer.from(new Resvg(svgText, { fitTo: { mode: 'width', value: width } }).render().asPng());
  const inner = (svgText: string, x: number, y: number, w: number, h: number): string =>
    svgText.replace('<svg xmlns="http://www.w3.org/2000/svg"', `<svg x="${x}" y="${y}" width="${w}" height="${h}"`).replace(/<title>.*?<\/title>/, '');
  for (const b of BRAND_ART) {
    const brand = JSON.parse(readFileSync(join(HERE, b.id, 'brand.json'), 'utf8')) as { colors: Record<string, string> };
    const c = brand.colors;
    const get = (f: string): string => files.get(`${b.id}/${f}`)!;
    const px32 = (f: string): string => `data:image/png;base64,${png(get(f), 32).toString('base64')}`;
    const W = 1400;
    const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="1000" viewBox="0 0 ${W} 1000"><rect width="${W}" height="1000" fill="#E7E7E7"/>`];
    const variant = (bg: string): string => (luminance(bg) > 0.18 ? 'on-light' : 'on-dark');
    const tiles = ['#FFFFFF', c['background']!, '#141414', c['primary']!].map((bg): [string, string, string] => [bg, `logo-${variant(bg)}.svg`, `icon-${variant(bg)}.svg`]);
    tiles.forEach(([bg, logo, icon], i) => {
      const x = 20 + (i % 2) * 690;
      const y = 20 + Math.floor(i / 2) * 330;
      parts.push(`<rect x="${x}" y="${y}" width="670" height="310" fill="${bg}"/>`);
      parts.push(inner(get(logo), x + 40, y + 40, 440, 110));
      parts.push(inner(get(icon), x + 520, y + 40, 110, 110));
      parts.push(inner(get(logo), x + 40, y + 200, 200, 50));
      parts.push(inner(get(icon), x + 300, y + 210, 32, 32));
      parts.push(`<image x="${x + 360}" y="${y + 180}" width="96" height="96" image-rendering="optimizeSpeed" href="${px32(icon)}"/>`);
      parts.push(inner(get(icon), x + 500, y + 210, 48, 48));
    });
    ['primary', 'secondary', 'accent', 'text', 'background'].forEach((role, i) => {
      parts.push(`<rect x="${20 + i * 276}" y="700" width="256" height="120" fill="${c[role]}" stroke="#0003"/>`);
    });
    parts.push(`<rect x="20" y="840" width="660" height="140" fill="${c['background']}"/><rect x="60" y="880" width="260" height="64" rx="8" fill="${c['accent']}"/><rect x="360" y="880" width="260" height="64" rx="8" fill="${c['primary']}"/>`);
    parts.push('</svg>');
    writeFileSync(join(dir, `${b.id}-sheet.png`), png(parts.join(''), W));
    for (const f of ['logo-on-light.svg', 'logo-on-dark.svg', 'icon-on-light.svg', 'icon-on-dark.svg']) {
      writeFileSync(join(dir, `${b.id}-${f.replace('.svg', '.png')}`), png(get(f), f.startsWith('logo') ? 800 : 256));
    }
  }
}

async function main(): Promise<void> {
  const files = renderLogos();
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(HERE, rel)), { recursive: true });
    writeFileSync(join(HERE, rel), text);
  }
  console.log(`wrote ${files.size} SVGs`);
  const i = process.argv.indexOf('--preview');
  if (i > 0) await preview(process.argv[i + 1] ?? '/tmp/brand-previews', files);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
