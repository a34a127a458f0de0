import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import { Renderer } from '../../src/node/render.js';
import { expectGolden } from '../helpers/golden.js';

const renderer = new Renderer();

/** Every public scene, brand-free (1061) and with two contrasting brands (1062: light Aurelle, dark Parity). */
const CASES: { template: string; brand: string | null }[] = [
  { template: '1061', brand: null },
  { template: '1062', brand: '167' },
  { template: '1062', brand: '121' },
];

describe('public scenes match their goldens', () => {
  for (const c of CASES) {
    it(`template ${c.template} with brand ${c.brand ?? 'none'}`, async () => {
      const scenes = await renderer.render({ template: publicTemplate(c.template)!, brand: c.brand ? publicBrand(c.brand)! : null });
      expect(scenes).toHaveLength(8);
      for (const scene of scenes) {
        expect(scene.warnings, `${scene.key} warnings`).toEqual([]);
        await expectGolden(`public/${c.template}-${c.brand ?? 'none'}-${scene.key}-${scene.width}x${scene.height}`, scene.bytes);
      }
    });
  }

  it('is deterministic: the same inputs give the same bytes', async () => {
    const req = { template: publicTemplate('1062')!, brand: publicBrand('122')!, scenes: [0, 6] };
    const [a, b] = [await renderer.render(req), await new Renderer().render(req)];
    expect(Buffer.from(a[0]!.bytes).equals(Buffer.from(b[0]!.bytes))).toBe(true);
    expect(Buffer.from(a[1]!.bytes).equals(Buffer.from(b[1]!.bytes))).toBe(true);
  });
});
