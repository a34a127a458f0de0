import { describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { parseTemplate } from '../../src/engine/model/validate.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { PRESETS } from '../../web/src/designer/model/presets.js';
import { locateProblem, parseServerProblem } from '../../web/src/designer/model/problems.js';
import { defaultRule, proposeElement, resizeToAll } from '../../web/src/designer/model/resize.js';
import { newElement, newTemplate, privateCopy, slotsFor } from '../../web/src/designer/model/template.js';
import { importTemplate, validateTemplate } from '../../web/src/designer/model/validate.js';

/** A square template with a heading, an image, a logo and a body text, as the designer makes them. */
function squareTemplate(): TemplateDocument {
  const t = newTemplate('Round trip', 1080, 1080);
  const scene = t.scenes[0]!;
  for (const [layer, id] of [['image', 'image-1'], ['text', 'text-1'], ['logo', 'logo-1'], ['text', 'text-2']] as const) scene.elements.push(newElement(layer, scene, id));
  return t;
}

const inside = (el: { box: { x: number; y: number; width: number; height: number } }, s: { width: number; height: number }) =>
  el.box.x >= 0 && el.box.y >= 0 && el.box.x + el.box.width <= s.width + 1e-9 && el.box.y + el.box.height <= s.height + 1e-9;

describe('designer: new templates and elements', () => {
  it('makes a template with every layer type that the server schema accepts, slots filled in order', () => {
    const t = newTemplate('All layers', 300, 250);
    const scene = t.scenes[0]!;
    for (const [i, layer] of (['text', 'text', 'image', 'smartImage', 'logo', 'shape'] as const).entries()) scene.elements.push(newElement(layer, scene, `el-${i}`));
    expect(scene.elements.map((e) => e.content_type)).toEqual(['Heading #1', 'Body #1', 'Image #1', 'smartImage', 'Logo #1', 'Basic Shape #1']);
    expect(() => parseTemplate(t)).not.toThrow();
    expect(validateTemplate(t)).toBeNull();
    for (const el of scene.elements) expect(inside(el, scene)).toBe(true);
  });

  it('offers only the slots the schema allows for each layer type', () => {
    expect(slotsFor('text')).toContain('Heading #1');
    expect(slotsFor('text')).toContain('Body #2');
    expect(slotsFor('logo')).toEqual(['Logo #1', 'Logo #2', 'Logo #3']);
    expect(slotsFor('smartImage')).toEqual(['smartImage']);
  });

  it('copies a public template as a private one that validates', () => {
    const copy = privateCopy(publicTemplate('1062')!);
    expect(copy.name).toBe('Brand spotlight (copy)');
    expect(copy.id).toBe('new');
    expect(validateTemplate(copy)).toBeNull();
    expect(() => parseTemplate(copy)).not.toThrow();
  });
});

describe('designer: validation in the browser agrees with the server', () => {
  const cases: Array<[string, (t: TemplateDocument) => void, RegExp]> = [
    ['a colour that is no colour', (t) => ((t.scenes[0]!.elements[1]!.style as { color: string }).color = 'blue'), /elements\[1\]\.style\.color/],
    ['a min size above the max', (t) => ((t.scenes[0]!.elements[1]!.style as { font_size: { min: number } }).font_size.min = 500), /elements\[1\]\.style\.font_size\.min/],
    ['a slot the layer cannot carry', (t) => (t.scenes[0]!.elements[2]!.content_type = 'Heading #1'), /elements\[2\]\.content_type/],
    ['a duplicate id', (t) => (t.scenes[0]!.elements[3]!.id = 'text-1'), /elements\[3\]\.id/],
    ['an unknown property', (t) => ((t.scenes[0]!.elements[0]!.box as Record<string, unknown>)['depth'] = 3), /elements\[0\]\.box\.depth/],
    ['a zero width', (t) => (t.scenes[0]!.elements[0]!.box.width = 0), /elements\[0\]\.box\.width/],
    ['a scene too small', (t) => (t.scenes[0]!.width = 8), /scenes\[0\]\.width/],
    ['an unknown layer type', (t) => ((t.scenes[0]!.elements[0] as { layer_type: string }).layer_type = 'video'), /elements\[0\]: has an unknown or missing "layer_type"/],
  ];
  for (const [what, breakIt, path] of cases) {
    it(`names the element and field for ${what}, as parseTemplate does`, () => {
      const t = squareTemplate();
      breakIt(t);
      const problem = validateTemplate(t);
      expect(problem).not.toBeNull();
      let server = '';
      try {
        parseTemplate(t);
      } catch (err) {
        server = (err as Error).message;
      }
      expect(server).toMatch(path);
      const parsed = parseServerProblem(server)!;
      const located = locateProblem(t, parsed.path, parsed.rule);
      expect(problem!.sceneIndex).toBe(located.sceneIndex);
      expect(problem!.elementId).toBe(located.elementId);
      expect(problem!.field).toBe(located.field);
    });
  }

  it('accepts and refuses the same documents as the server over 400 random one-field changes of the public templates', () => {
    // A small deterministic PRNG, so a failure names a reproducible case.
    let seed = 12;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values: unknown[] = [null, -5, 0, 0.5, 3, 17, 2001, 9000, '', 'x', 'brand.primary', 'brand.nope', '#12345', '#abcdef', 'Heading #1', 'Image #2', true, [], {}];
    const leaves = (node: unknown, path: Array<string | number> = []): Array<Array<string | number>> => {
      if (node === null || typeof node !== 'object') return [path];
      const entries: Array<[string | number, unknown]> = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
      return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
    };
    let refused = 0;
    for (const id of ['1061', '1062']) {
      const base = privateCopy(publicTemplate(id)!);
      // Data URIs and long asset strings are not what this compares; keep the paths small.
      const paths = leaves(base).filter((p) => p[0] === 'scenes' || p[0] === 'name' || p[0] === 'requires_brand');
      for (let i = 0; i < 200; i++) {
        const doc = structuredClone(base) as unknown as Record<string | number, unknown>;
        const path = paths[Math.floor(rand() * paths.length)]!;
        let node = doc as Record<string | number, unknown>;
        for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
        node[path.at(-1)!] = values[Math.floor(rand() * values.length)];
        let server: string | null = null;
        try {
          parseTemplate(doc);
        } catch (err) {
          server = (err as Error).message;
        }
        const mine = validateTemplate(doc);
        expect(mine === null, `${path.join('.')} = ${JSON.stringify(node[path.at(-1)!])}: server ${server ?? 'accepts'}, designer ${mine?.message ?? 'accepts'}`).toBe(server === null);
        if (server) refused++;
      }
    }
    // Most random changes break something: the comparison is not between two validators that accept everything.
    expect(refused).toBeGreaterThan(200);
  });

  it('names the element by its name and id in the message', () => {
    const t = squareTemplate();
    (t.scenes[0]!.elements[1]!.style as { color: string }).color = 'blue';
    expect(validateTemplate(t)!.message).toMatch(/^Scene 1 \(Square post 1080×1080\), element "Heading" \(text-1\), style\.color: must match pattern/);
  });

  it('refuses an import that is not JSON, not a template, or invalid, saying which', () => {
    expect(importTemplate('{ nope', 'a.json')).toMatchObject({ ok: false, message: expect.stringMatching(/^a\.json is not JSON/) });
    expect(importTemplate('[1]', 'b.json')).toMatchObject({ ok: false, message: expect.stringMatching(/not a template document/) });
    const t = squareTemplate();
    t.scenes[0]!.elements[2]!.box.height = -5;
    expect(importTemplate(JSON.stringify(t), 'c.json')).toMatchObject({ ok: false, message: expect.stringMatching(/c\.json is not a valid template: .*"Logo" \(logo-1\), box\.height: must be > 0/) });
    const ok = importTemplate(JSON.stringify(squareTemplate()), 'd.json');
    expect(ok.ok).toBe(true);
  });
});

describe('designer: resize to all sizes by rules', () => {
  it('proposes every preset from 1080×1080 with every element inside its scene, ids unique, and a valid template', () => {
    const t = squareTemplate();
    const res = resizeToAll(t, 0, {}, PRESETS);
    expect(res.added).toHaveLength(10);
    expect(res.kept).toEqual([{ width: 1080, height: 1080 }]);
    expect(res.template.scenes).toHaveLength(11);
    for (const scene of res.template.scenes) for (const el of scene.elements) expect(inside(el, scene), `${el.id} in ${scene.name}`).toBe(true);
    expect(() => parseTemplate(res.template)).not.toThrow();
    expect(res.template.scenes.find((s) => s.width === 728)!.elements.map((e) => e.id)).toEqual(['image-1-728x90', 'text-1-728x90', 'logo-1-728x90']);
  });

  it('lays elements side by side in a banner, in their top-to-bottom order, none overlapping; stacks them in a skyscraper', () => {
    const t = squareTemplate();
    const res = resizeToAll(t, 0, {}, [{ width: 728, height: 90 }, { width: 160, height: 600 }]);
    const overlap = (a: { box: { x: number; y: number; width: number; height: number } }, b: typeof a) =>
      a.box.x < b.box.x + b.box.width && b.box.x < a.box.x + a.box.width && a.box.y < b.box.y + b.box.height && b.box.y < a.box.y + a.box.height;
    const banner = res.template.scenes[1]!.elements;
    // Logo (top), heading, image (bottom) of the square read left to right.
    const byX = [...banner].sort((a, b) => a.box.x - b.box.x).map((e) => e.layer_type);
    expect(byX).toEqual(['logo', 'text', 'image']);
    const sky = res.template.scenes[2]!.elements;
    // The body copy is left out of the banner (its rule hides it below 120 px) but not of the skyscraper.
    expect([...sky].sort((a, b) => a.box.y - b.box.y).map((e) => e.id)).toEqual(['logo-1-160x600', 'text-1-160x600', 'text-2-160x600', 'image-1-160x600']);
    for (const scene of [banner, sky]) for (const a of scene) for (const b of scene) if (a !== b) expect(overlap(a, b), `${a.id} / ${b.id}`).toBe(false);
    // Without reflow they are placed by their pins alone (and the heading and the image collide in the banner).
    const pinned = resizeToAll(t, 0, {}, [{ width: 728, height: 90 }], { reflow: false }).template.scenes[1]!.elements;
    expect(overlap(pinned.find((e) => e.layer_type === 'text')!, pinned.find((e) => e.layer_type === 'image')!)).toBe(true);
  });

  it('moves an element that sits on another with it: 1062\'s button label stays on its button, the product on its photo', () => {
    const t = privateCopy(publicTemplate('1062')!);
    const res = resizeToAll(t, 0, {}, [{ width: 970, height: 250 }, { width: 300, height: 600 }]);
    const within = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.width <= b.x + b.width + 1 && a.y + a.height <= b.y + b.height + 1;
    for (const size of ['970x250', '300x600']) {
      const scene = res.template.scenes.find((s) => `${s.width}x${s.height}` === size)!;
      const el = (id: string) => scene.elements.find((e) => e.id === `${id}-${size}`)!;
      for (const e of scene.elements) expect(inside(e, scene), `${e.id} in ${size}`).toBe(true);
      expect(within(el('s1-cta-label').box, el('s1-cta-button').box), `label on button in ${size}`).toBe(true);
      // Heading, body and button (the left column) do not overlap one another.
      const left = ['s1-heading', 's1-body', 's1-cta-button'].map((id) => el(id).box);
      for (const a of left) for (const b of left) if (a !== b) expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
    }
    // In the skyscraper the left column reads top to bottom before the photo's group.
    const sky = res.template.scenes.find((s) => s.width === 300 && s.height === 600)!;
    const y = (id: string) => sky.elements.find((e) => e.id === `${id}-300x600`)!.box.y;
    expect(y('s1-logo') < y('s1-heading') && y('s1-heading') < y('s1-body') && y('s1-body') < y('s1-cta-button') && y('s1-cta-button') < y('s1-product')).toBe(true);
  });

  it('keeps a pinned margin, not a proportional position', () => {
    const t = squareTemplate();
    const logo = { ...t.scenes[0]!.elements[2]!, box: { x: 980, y: 40, width: 80, height: 40 } };
    const rule = defaultRule(logo, t.scenes[0]!);
    expect(rule).toMatchObject({ horizontal: 'right', vertical: 'top', keepAspect: true });
    const out = proposeElement(logo, rule, t.scenes[0]!, 300, 600)!;
    // Right margin 20 px at the smaller factor (300/1080), the aspect kept.
    expect(out.box.x + out.box.width).toBeCloseTo(300 - 20 * (300 / 1080), 0);
    expect(out.box.width / out.box.height).toBeCloseTo(2, 1);
    // Pinned left, the left margin is kept (at the same factor) instead of the position scaling with the width.
    const leftLogo = { ...logo, box: { ...logo.box, x: 40 } };
    const left = proposeElement(leftLogo, { ...rule, horizontal: 'left' }, t.scenes[0]!, 300, 600)!;
    expect(left.box.x).toBeCloseTo(40 * (300 / 1080), 0);
  });

  it('keeps text sizes within the rule range and leaves out elements below their size', () => {
    const t = squareTemplate();
    const heading = t.scenes[0]!.elements[1]!;
    const out = proposeElement(heading, { ...defaultRule(heading, t.scenes[0]!), textSize: { min: 12, max: 20 } }, t.scenes[0]!, 300, 600)!;
    if (out.layer_type !== 'text') throw new Error('text expected');
    expect(out.style.font_size.max).toBeLessThanOrEqual(20);
    expect(out.style.font_size.min).toBeGreaterThanOrEqual(12);
    expect(proposeElement(heading, { ...defaultRule(heading, t.scenes[0]!), hideBelow: 300 }, t.scenes[0]!, 728, 90)).toBeNull();
    expect(proposeElement(heading, { ...defaultRule(heading, t.scenes[0]!), hideBelow: 300 }, t.scenes[0]!, 300, 600)).not.toBeNull();
  });

  it('leaves a size the template already has as the designer adjusted it', () => {
    const t = squareTemplate();
    const first = resizeToAll(t, 0, {}, [{ width: 300, height: 250 }]);
    first.template.scenes[1]!.elements[0]!.box.x = 7;
    const again = resizeToAll(first.template, 0, first.rules, [{ width: 300, height: 250 }, { width: 160, height: 600 }]);
    expect(again.kept).toEqual([{ width: 300, height: 250 }]);
    expect(again.template.scenes[1]!.elements[0]!.box.x).toBe(7);
    expect(again.template.scenes).toHaveLength(3);
  });
});
