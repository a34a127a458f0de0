import { describe, expect, it } from 'vitest';
import { parseHexColor, validateSmartImage } from '../../src/smart-image/validate.js';

const url = 'https://example.com/p.jpg';
const fields = (v: unknown) => {
  const r = validateSmartImage(v);
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('validateSmartImage', () => {
  it('accepts a prompt, a #RGB and a #RRGGBB colour, and expand without input', () => {
    const a = validateSmartImage({ input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '  white   marble table ' } });
    expect(a).toEqual({ ok: true, value: { input_image_url: url, operation: 'lifestyle_shot_by_text', input: 'white marble table', isColor: false } });
    const b = validateSmartImage({ input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#FA0' } });
    expect(b.ok && b.value.input).toBe('#ffaa00');
    const c = validateSmartImage({ input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#12ab9F' } });
    expect(c.ok && c.value).toMatchObject({ input: '#12ab9f', isColor: true });
    const d = validateSmartImage({ main_object_url: url, scene: { operation: 'expand_image' } });
    expect(d.ok && d.value).toMatchObject({ operation: 'expand_image', input: undefined });
  });

  it.each([
    ['not an object', 'nope', ['smart_image']],
    ['array', [], ['smart_image']],
    ['missing url', { scene: { operation: 'expand_image' } }, ['smart_image.input_image_url']],
    ['empty url', { input_image_url: ' ', scene: { operation: 'expand_image' } }, ['smart_image.input_image_url']],
    ['url not a string', { input_image_url: 5, scene: { operation: 'expand_image' } }, ['smart_image.input_image_url']],
    ['ftp url', { input_image_url: 'ftp://x/y.png', scene: { operation: 'expand_image' } }, ['smart_image.input_image_url']],
    ['missing scene', { input_image_url: url }, ['smart_image.scene']],
    ['scene not an object', { input_image_url: url, scene: 'expand' }, ['smart_image.scene']],
    ['missing operation', { input_image_url: url, scene: {} }, ['smart_image.scene.operation']],
    ['unknown operation', { input_image_url: url, scene: { operation: 'generate_by_text' } }, ['smart_image.scene.operation']],
    ['operation not a string', { input_image_url: url, scene: { operation: 3 } }, ['smart_image.scene.operation']],
    ['lifestyle without input', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text' } }, ['smart_image.scene.input']],
    ['lifestyle blank input', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '   ' } }, ['smart_image.scene.input']],
    ['input not a string', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: 42 } }, ['smart_image.scene.input']],
    ['bad hex #12', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#12' } }, ['smart_image.scene.input']],
    ['bad hex #ggg', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#ggg' } }, ['smart_image.scene.input']],
    ['bad hex #12345', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '#12345' } }, ['smart_image.scene.input']],
    ['no words', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: '123 !!' } }, ['smart_image.scene.input']],
    ['too long', { input_image_url: url, scene: { operation: 'lifestyle_shot_by_text', input: 'a'.repeat(1001) } }, ['smart_image.scene.input']],
    ['expand with non-string input', { input_image_url: url, scene: { operation: 'expand_image', input: {} } }, ['smart_image.scene.input']],
    ['everything wrong', { scene: { operation: 'x' } }, ['smart_image.input_image_url', 'smart_image.scene.operation']],
  ])('%s → names the field', (_name, value, expected) => {
    expect(fields(value)).toEqual(expected);
    const r = validateSmartImage(value);
    if (!r.ok) for (const e of r.errors) expect(e.message.length).toBeGreaterThan(8);
  });

  it('parseHexColor', () => {
    expect(parseHexColor('#abc')).toBe('#aabbcc');
    expect(parseHexColor('abc')).toBeNull();
    expect(parseHexColor('#abcd')).toBeNull();
  });
});
