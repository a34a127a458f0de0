import { describe, expect, it } from 'vitest';
import { publicBrand } from '../../src/assets/index.js';
import { acceptFor, pickProblem, roleFontNote, sameBrand, savedBody, sourcesOf, startFrom, storedProblem, uploadMessage, type Brand } from '../../web/src/brands/draft.js';

/** The brand kit editor's draft rules (web/src/brands/draft.ts): where a draft starts, what is saved, what a refused file is told. */
const parity = () => publicBrand('121') as Brand;

describe('brand drafts', () => {
  it('a duplicate is a new brand: no id, no dates, its own name; the rest copied, not shared', () => {
    const source = { ...parity(), created_at: '2026-01-01T00:00:00.000Z' };
    const copy = startFrom(source, 'Parity copy');
    expect(copy).toMatchObject({ id: 'new', name: 'Parity copy', colors: source.colors });
    expect(copy.created_at).toBeUndefined();
    copy.colors.primary = '#000000';
    expect(source.colors.primary).toBe('#8366FF');
  });

  it('saves the document without the id and dates the server owns; equality ignores them', () => {
    const doc = { ...parity(), created_at: '2026-01-01T00:00:00.000Z', $schema: 'x' };
    for (const key of ['id', 'created_at', '$schema']) expect(savedBody(doc)).not.toHaveProperty(key);
    expect(savedBody(doc)).toMatchObject({ name: 'Parity', schema_version: 1 });
    expect(sameBrand(doc, { ...parity(), id: '999' })).toBe(true);
    expect(sameBrand(doc, { ...parity(), name: 'Other' })).toBe(false);
  });

  it('lists every file source the brand names', () => {
    const doc = parity();
    doc.fonts.files = [{ family: 'Acme', weight: 400, src: 'http://x/v1/files/abc' }];
    expect([...sourcesOf(doc)].sort()).toEqual(['asset:brands/121/icon-on-dark.svg', 'asset:brands/121/icon-on-light.svg', 'asset:brands/121/logo-on-dark.svg', 'asset:brands/121/logo-on-light.svg', 'http://x/v1/files/abc']);
  });

  it('refuses a picked file by its extension, naming the file and the rule', () => {
    expect(pickProblem('Brand.WOFF2', 'font')).toBeNull();
    expect(pickProblem('logo.svg', 'logo')).toBeNull();
    expect(pickProblem('logo.jpg', 'logo')).toBe('"logo.jpg" was not uploaded: a logo must be an SVG or PNG image.');
    expect(pickProblem('font', 'font')).toBe('"font" was not uploaded: a font must be a TTF, OTF, WOFF or WOFF2 file.');
    expect(acceptFor('font')).toBe('.ttf,.otf,.woff,.woff2');
  });

  it('refuses what the server stored when its type is not the slot\'s', () => {
    expect(storedProblem('a.ttf', 'font/ttf', 'font')).toBeNull();
    expect(storedProblem('a.png', 'image/png', 'logo')).toBeNull();
    expect(storedProblem('a.otf', 'image/png', 'font')).toBe('"a.otf" was not used: its bytes are image/png, and a font must be a TTF, OTF, WOFF or WOFF2 file.');
    expect(storedProblem('a.svg', 'font/woff', 'logo')).toMatch(/a logo must be an SVG or PNG image/);
  });

  it('names the file in every server refusal, once', () => {
    expect(uploadMessage('big.png', 413, 'The uploaded file is larger than the limit of 10 bytes. Send a smaller file.')).toBe('"big.png" is too large: The uploaded file is larger than the limit of 10 bytes. Send a smaller file.');
    const named = 'The uploaded file "x.svg" cannot be used: it does not decode.';
    expect(uploadMessage('x.svg', 400, named)).toBe(named);
    expect(uploadMessage('x.svg', 403, 'Access denied (feature: uploads).')).toBe('"x.svg" could not be uploaded: Access denied (feature: uploads).');
  });
});

describe('font role notes', () => {
  const shipped = ['Inter', 'Space Grotesk'];
  it('says when an own family has no file at the role\'s weight, and which weight is used', () => {
    const doc = parity();
    doc.fonts.files = [{ family: 'Acme', weight: 400, src: 'http://x/v1/files/a' }, { family: 'Acme', weight: 800, src: 'http://x/v1/files/b' }];
    doc.fonts.heading = { family: 'Acme', weight: 600 };
    // CSS matching above 500: heavier first.
    expect(roleFontNote(doc, 'heading', shipped)).toBe('This brand has no "Acme" file at weight 600: the nearest, 800, is used.');
    doc.fonts.heading.weight = 800;
    expect(roleFontNote(doc, 'heading', shipped)).toBeNull();
  });

  it('says when a family is neither shipped nor the brand\'s own; nothing while the shipped list is unknown', () => {
    const doc = parity();
    doc.fonts.body = { family: 'Gone Sans', weight: 400 };
    expect(roleFontNote(doc, 'body', shipped)).toMatch(/^"Gone Sans" is neither shipped with Adsmith nor one of this brand's font files/);
    expect(roleFontNote(doc, 'body', null)).toBeNull();
    expect(roleFontNote(parity(), 'heading', shipped)).toBeNull();
  });
});
