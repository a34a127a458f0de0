import { describe, expect, it } from 'vitest';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import { buildPlans } from '../../src/engine/plan/build.js';
import type { TextLayerPlan } from '../../src/engine/plan/types.js';
import type { AdsmithError } from '../../src/errors/catalogue.js';
import { inkOutsideBox } from '../helpers/text.js';

const template = publicTemplate('1062')!;
const brand = publicBrand('167')!;

describe('element overrides', () => {
  it('a content_type fills every scene; an id targets one element and wins; "" hides', () => {
    const plans = buildPlans({
      template,
      brand,
      elements: [
        { content_type: 'Heading #1', content: 'Everywhere' },
        { id: 's3-heading', content: 'Only the story' },
        { content_type: 'Body #1', content: '' },
        { id: 's7-logo', content: '' },
      ],
    });
    const heading = (i: number) => plans[i]!.layers.find((l) => l.contentType === 'Heading #1') as TextLayerPlan;
    expect(heading(0).text).toBe('Everywhere');
    expect(heading(2).text).toBe('Only the story');
    expect(plans.every((p) => !p.layers.some((l) => l.contentType === 'Body #1'))).toBe(true);
    expect(plans[6]!.layers.some((l) => l.kind === 'logo')).toBe(false);
    expect(plans[5]!.layers.some((l) => l.kind === 'logo')).toBe(true);
  });

  it('brand roles resolve to the brand values', () => {
    const [plan] = buildPlans({ template, brand });
    expect(plan!.background).toEqual({ kind: 'color', color: 'rgb(251,247,243)' });
    const heading = plan!.layers.find((l) => l.kind === 'text') as TextLayerPlan;
    expect(heading.font.families[0]).toBe('Playfair Display');
    expect(heading.font.weight).toBe(500);
  });

  it('errors name the entry and list the slots or say what to do', () => {
    const err = (elements: { content_type?: string; id?: string; content: string; layer_type?: string }[]) => {
      try {
        buildPlans({ template, brand, elements });
      } catch (e) {
        return e as AdsmithError;
      }
      throw new Error('expected an error');
    };
    expect(err([{ content: 'x' }]).code).toBe('ADS_OVERRIDE_TARGET_MISSING');
    expect(err([{ content_type: 'Heading #1', content: 'ok' }, { content_type: 'Heading #9', content: 'x' }]).message).toBe(
      'elements[1].content_type "Heading #9" is not a slot of template 1062. Its slots are: Basic Shape #1, Basic Shape #2, Body #1, Body #2, Heading #1, Image #1, Logo #1, smartImage.',
    );
    expect(err([{ id: 'nope', content: 'x' }]).code).toBe('ADS_UNKNOWN_ELEMENT_ID');
    expect(err([{ content_type: 'Heading #1', layer_type: 'image', content: 'x' }]).code).toBe('ADS_OVERRIDE_LAYER_MISMATCH');
    expect(() => buildPlans({ template, brand: null })).toThrow(/send brand_id/);
  });
});

describe('the ink check itself', () => {
  it('detects ink outside the box when a layout is wrong (the property test can fail)', () => {
    const [plan] = buildPlans({ template, brand });
    const layer = plan!.layers.find((l) => l.kind === 'text') as TextLayerPlan;
    const ok = inkOutsideBox(layer);
    expect(ok.outside).toBe(0);
    // Laid out for a box 40 % wider but checked against the real one: the pixels must show the overflow.
    const text = 'A line that is long enough to overflow its box';
    const wider = { ...layer.box, width: layer.box.width * 1.4 };
    expect(inkOutsideBox({ ...layer, text, box: wider }, layer.box).outside).toBeGreaterThan(0);
    expect(inkOutsideBox({ ...layer, text }).outside).toBe(0);
  });
});
