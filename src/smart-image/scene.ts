/**
 * The offline "lifestyle shot" background. It is NOT a text-to-image model (none
 * is shipped in the npm registry): it reads what the prompt names — colours,
 * materials, surfaces, light, time of day, indoor/outdoor — and paints a
 * studio-style set: a wall with a soft light falloff, a tabletop or floor in the
 * named material, and the light's colour. Deterministic for a seed.
 */
import { hexToRgb } from './image.js';
import type { RawImage } from './types.js';

export type Material = 'plain' | 'wood' | 'marble' | 'concrete' | 'sand' | 'grass' | 'fabric' | 'water';

export interface SceneSpec {
  wall: [number, number, number];
  floor: [number, number, number];
  material: Material;
  /** Light colour multiplied over everything (1,1,1 = neutral). */
  light: [number, number, number];
  /** Key light position, 0 (left) … 1 (right). */
  lightX: number;
  /** 0 dark … 1 bright. */
  brightness: number;
  /** Horizon (wall/floor line) as a fraction of the frame height. */
  horizon: number;
  outdoor: boolean;
  /** The words that decided each choice, for the job log. */
  matched: string[];
}

const COLORS: Record<string, string> = {
  white: '#f2f0ec', ivory: '#f3ecd9', cream: '#efe3c8', beige: '#d9c7a7', sand: '#d8c29a', black: '#1d1d1f', charcoal: '#36383c', grey: '#9a9ca0', gray: '#9a9ca0',
  silver: '#c4c7cc', red: '#b8322c', crimson: '#9e1b32', burgundy: '#6d1f2c', pink: '#e9a6b5', blush: '#eac3c0', rose: '#d98695', orange: '#e07b39', peach: '#f0b58e',
  coral: '#ee7b65', yellow: '#efc94c', gold: '#c9a44c', mustard: '#c9a233', green: '#4c8a55', olive: '#7a7d3c', sage: '#a3b49a', mint: '#b6e0c9', emerald: '#1f7a53',
  teal: '#2b7f80', turquoise: '#3fb3b0', blue: '#3a6ea5', navy: '#1f2f52', sky: '#9cc7e8', cyan: '#5fc4d9', purple: '#6d4a8f', violet: '#7f5aa8', lavender: '#c2b2dc',
  lilac: '#c8a9d6', brown: '#7a5335', chocolate: '#4e3223', terracotta: '#c0643f', rust: '#a4502c', pastel: '#dcd3ea', neutral: '#d6d0c6',
};
const MATERIALS: [RegExp, Material, string][] = [
  [/\b(wood|wooden|oak|walnut|pine|timber|plank|parquet)\b/, 'wood', '#9a6a42'],
  [/\b(marble|granite|quartz|stone counter)/, 'marble', '#e8e6e2'],
  [/\b(concrete|cement|stone|slate|industrial|urban|street)\b/, 'concrete', '#8f8f8c'],
  [/\b(sand|beach|desert|dune|shore)\b/, 'sand', '#dcc59b'],
  [/\b(grass|lawn|meadow|garden|park|field|forest)\b/, 'grass', '#5d8a3c'],
  [/\b(linen|fabric|cloth|silk|velvet|cotton|bed|sofa|towel)\b/, 'fabric', '#d9d2c5'],
  [/\b(water|pool|lake|sea|ocean|river)\b/, 'water', '#4d8fb0'],
];
const WARM: [number, number, number] = [1.08, 0.98, 0.86];
const COOL: [number, number, number] = [0.9, 0.97, 1.08];

function mix(a: [number, number, number], b: [number, number, number], t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/**
 * What the prompt asks for. `ambient` is the photo's own background colour: when the prompt names no colour,
 * the wall takes a light tint of it (and of the light the prompt names), so two photos on "marble counter,
 * morning light" get sets in their own colours instead of one grey wall.
 */
export function parsePrompt(prompt: string, ambient: [number, number, number] | null = null): SceneSpec {
  const p = prompt.toLowerCase();
  const matched: string[] = [];
  const colors: [number, number, number][] = [];
  for (const m of p.matchAll(/[a-z]+/g)) {
    const c = COLORS[m[0]];
    if (c && m[0] !== 'sand') {
      colors.push(hexToRgb(c));
      matched.push(m[0]);
    }
  }
  let material: Material = 'plain';
  let floor: [number, number, number] | undefined;
  for (const [re, mat, col] of MATERIALS) {
    const m = re.exec(p);
    if (m) {
      material = mat;
      floor = hexToRgb(col);
      matched.push(m[0]);
      break;
    }
  }
  const outdoor = /\b(outdoor|outside|beach|garden|park|forest|street|mountain|sky|field|lake|sea|ocean|desert|meadow)\b/.test(p);
  let light: [number, number, number] = [1, 1, 1];
  let brightness = 0.8;
  let wall: [number, number, number] = colors[0] ?? (outdoor ? hexToRgb('#a9c8e6') : hexToRgb('#e6e1d9'));
  const tod = /\b(sunset|sunrise|golden hour|dusk|dawn|night|evening|morning|noon|midday|moon)/.exec(p)?.[0];
  if (tod) matched.push(tod);
  if (tod && /sunset|sunrise|golden|dusk|dawn|evening/.test(tod)) {
    light = [1.12, 0.95, 0.78];
    if (!colors[0]) wall = hexToRgb(outdoor ? '#f0a76a' : '#e9c9a5');
  } else if (tod && /night|moon/.test(tod)) {
    light = [0.82, 0.88, 1.05];
    brightness = 0.45;
    if (!colors[0]) wall = hexToRgb('#27314d');
  } else if (tod && /morning|noon|midday/.test(tod)) brightness = 0.95;
  if (/\b(warm|cozy|cosy|candle|autumn|fall)\b/.test(p)) light = mix(light, WARM, 0.7);
  if (/\b(cool|cold|winter|icy|fresh|clinical)\b/.test(p)) light = mix(light, COOL, 0.7);
  if (/\b(dark|moody|dramatic|noir|low.key)\b/.test(p)) brightness = Math.min(brightness, 0.5);
  if (/\b(bright|airy|light|sunny|high.key|clean)\b/.test(p)) brightness = Math.max(brightness, 0.95);
  if (!colors[0] && ambient && !(tod && /night|moon/.test(tod))) {
    // A pale version of the ambient colour: its hue, lifted towards white, never darker than a studio wall.
    const pale = mix(ambient, [250, 246, 240], 0.55);
    wall = mix(wall, pale, 0.6);
    matched.push('photo ambient');
  }
  floor ??= colors[1] ?? mix(wall, [255, 255, 255], 0.25).map((v) => v * 0.92) as [number, number, number];
  const lightX = /\b(left)\b/.test(p) ? 0.2 : /\b(right)\b/.test(p) ? 0.8 : 0.35;
  const horizon = outdoor ? 0.62 : material === 'plain' ? 0.7 : 0.66;
  return { wall, floor, material, light, lightX, brightness, horizon, outdoor, matched };
}

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Smooth value noise on a lattice of `cells` across the width; fbm of a few octaves. */
function makeNoise(seed: number): (x: number, y: number) => number {
  const r = rng(seed);
  const N = 256;
  const table = new Float32Array(N * N);
  for (let i = 0; i < table.length; i++) table[i] = r();
  const at = (x: number, y: number) => table[((y & (N - 1)) * N + (x & (N - 1)))]!;
  const v = (x: number, y: number) => {
    const x0 = Math.floor(x), y0 = Math.floor(y);
    let tx = x - x0, ty = y - y0;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    const a = at(x0, y0), b = at(x0 + 1, y0), c = at(x0, y0 + 1), d = at(x0 + 1, y0 + 1);
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
  };
  return (x, y) => 0.5 * v(x, y) + 0.3 * v(x * 2.03, y * 2.03) + 0.2 * v(x * 4.1, y * 4.1);
}

/** Paint the set at the frame size. `groundY` is where the subject stands (frame px). */
export function paintScene(spec: SceneSpec, width: number, height: number, seed: number, groundY?: number): RawImage {
  const noise = makeNoise(seed);
  const data = new Uint8Array(width * height * 4);
  const hy = Math.round(groundY !== undefined ? Math.min(height * 0.92, Math.max(height * 0.4, groundY - height * 0.06)) : height * spec.horizon);
  const lx = spec.lightX * width, ly = -0.15 * height;
  const diag = Math.hypot(width, height);
  const grain = 64 / Math.max(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let c: [number, number, number];
      if (y < hy) {
        // Wall: vertical falloff and a broad pool of light from the key light.
        const t = y / Math.max(1, hy);
        const dl = Math.hypot(x - lx, y - ly) / diag;
        const lum = 0.78 + 0.32 * Math.exp(-dl * dl * 4) - 0.08 * t + (noise(x * grain * 0.5, y * grain * 0.5) - 0.5) * 0.03;
        c = [spec.wall[0] * lum, spec.wall[1] * lum, spec.wall[2] * lum];
        if (spec.outdoor) {
          // Sky-like: lighter towards the horizon.
          const k = 0.25 * t;
          c = mix(c, [255, 250, 240], k);
        }
      } else {
        // Floor: perspective (depth grows towards the horizon), material texture.
        const t = (y - hy) / Math.max(1, height - hy); // 0 at horizon … 1 at the bottom
        const depth = 1 / (0.15 + t);
        const u = (x - width / 2) / width * depth * 6, v = depth * 6;
        let k = 1;
        const f = spec.floor;
        switch (spec.material) {
          case 'wood': {
            const plank = Math.floor(u * 1.2 + 1000);
            const g = noise(plank * 7.3, v * 0.6) * 0.6 + noise(u * 25, v * 0.4) * 0.4;
            k = 0.82 + 0.3 * g + (Math.abs((u * 1.2 + 1000) % 1) < 0.03 ? -0.25 : 0);
            break;
          }
          case 'marble': {
            const vein = Math.abs(Math.sin((u * 1.6 + v * 0.7) + noise(u * 1.5, v * 1.5) * 6));
            k = 0.9 + 0.08 * noise(u * 4, v * 4) - 0.22 * Math.pow(1 - vein, 12);
            break;
          }
          case 'concrete':
            k = 0.85 + 0.22 * noise(u * 6, v * 6) + 0.06 * noise(u * 40, v * 40);
            break;
          case 'sand':
            k = 0.88 + 0.1 * noise(u * 3, v * 3) + 0.08 * Math.sin(u * 4 + noise(u, v) * 5) * 0.5;
            break;
          case 'grass':
            k = 0.7 + 0.45 * noise(u * 30, v * 8);
            break;
          case 'fabric':
            k = 0.9 + 0.12 * noise(u * 2, v * 2) + 0.04 * Math.sin(u * 90) * Math.sin(v * 90);
            break;
          case 'water':
            k = 0.8 + 0.35 * Math.pow(noise(u * 3, v * 12), 2);
            break;
          default:
            k = 0.97 + 0.02 * noise(u * 3, v * 3);
        }
        const shade = 0.78 + 0.22 * (1 - t) + (spec.material === 'plain' ? 0.1 : 0);
        c = [f[0] * k * shade, f[1] * k * shade, f[2] * k * shade];
        // Soft sweep between wall and floor for the plain studio look.
        if (spec.material === 'plain' && t < 0.15) c = mix(c, [spec.wall[0] * 0.92, spec.wall[1] * 0.92, spec.wall[2] * 0.92], 1 - t / 0.15);
      }
      // Vignette, brightness, light colour.
      const dx = x / width - 0.5, dy = y / height - 0.5;
      const vig = 1 - 0.35 * (dx * dx + dy * dy) * 2;
      const b = (0.55 + 0.5 * spec.brightness) * vig;
      data[o] = Math.min(255, Math.max(0, c[0] * b * spec.light[0]));
      data[o + 1] = Math.min(255, Math.max(0, c[1] * b * spec.light[1]));
      data[o + 2] = Math.min(255, Math.max(0, c[2] * b * spec.light[2]));
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}
