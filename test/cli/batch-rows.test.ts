import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { toContractTemplate } from '../../src/engine/model/contract.js';
import { rowSignature } from '../../src/cli/batch/manifest.js';
import { nameRowFields, planRows } from '../../src/cli/batch/plan.js';
import { classifyColumns, readCsv, slotsOf } from '../../src/cli/batch/rows.js';
import { CliError } from '../../src/cli/errors.js';

/** CSV → columns → planned rows, with the real template 1062's slots and ids. */
const slots = slotsOf(toContractTemplate(publicTemplate('1062')!));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-rows-'));
fs.mkdirSync(path.join(dir, 'photos'));
fs.writeFileSync(path.join(dir, 'photos', 'shirt.png'), 'not checked here, only its existence');

const plan = async (csv: string, defaultImage = false) => {
  const { header, rows } = readCsv(csv, 'products.csv');
  return planRows(rows, classifyColumns(header, slots, '1062', 'products.csv'), { baseDir: dir, defaultImage });
};
const cliError = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return err as CliError;
  }
  throw new Error('expected a CliError');
};

describe('batch rows: columns', () => {
  it('maps slots (any case), id: columns, the smart image columns and key', () => {
    const { header } = readCsv('key,heading #1,Image #1,id:s1-heading,image,operation,prompt\nx,a,,b,,,\n', 'p.csv');
    const columns = classifyColumns(header, slots, '1062', 'p.csv');
    expect(columns.map((c) => c.role)).toEqual([
      { kind: 'key' },
      { kind: 'content_type', contentType: 'Heading #1', image: false },
      { kind: 'content_type', contentType: 'Image #1', image: true },
      { kind: 'id', id: 's1-heading', image: false },
      { kind: 'smart_image' },
      { kind: 'operation' },
      { kind: 'prompt' },
    ]);
  });

  it('an unknown column, an unknown element id, a repeated or empty header, no content column: an error naming it', () => {
    const cols = (csv: string) => classifyColumns(readCsv(csv, 'p.csv').header, slots, '1062', 'p.csv');
    expect(cliError(() => cols('key,Headline\na,b\n')).message).toMatch(/^p\.csv: column "Headline" is not a slot of template 1062\. Its slots: Basic Shape #1, .*Heading #1.*; other columns: key, image/);
    expect(cliError(() => cols('id:nope\na\n')).message).toMatch(/column "id:nope" names element "nope", which template 1062 does not have/);
    expect(cliError(() => cols('Heading #1,heading #1\na,b\n')).message).toBe('p.csv: column "heading #1" appears twice in the header.');
    expect(cliError(() => cols('Heading #1,,Body #1\na,b,c\n')).message).toMatch(/column 2 of the header is empty/);
    expect(cliError(() => cols('key\na\n')).message).toMatch(/has no column to fill/);
    expect(cliError(() => cols('key,Heading #1\n')).kind).toBe('input');
    expect(cliError(() => readCsv('', 'p.csv')).message).toMatch(/p\.csv is empty/);
    expect(cliError(() => readCsv('a,"b\n1,2', 'p.csv')).message).toMatch(/^p\.csv is not a valid CSV file: /);
  });
});

describe('batch rows: planning', () => {
  it('builds elements and the smart image; empty cells keep the template content; paths resolve from the CSV folder', async () => {
    const [row] = await plan('key,Heading #1,Body #1,image,operation,prompt\nsku 1/a,Linen shirt,,photos/shirt.png,lifestyle_shot_by_text,on a table\n');
    expect(row).toMatchObject({
      row: 2,
      key: 'sku 1/a',
      folder: 'sku-1-a',
      elements: [{ content_type: 'Heading #1', content: 'Linen shirt' }],
      elementColumns: ['Heading #1'],
      smartImage: { input_image_url: 'photos/shirt.png', scene: { operation: 'lifestyle_shot_by_text', input: 'on a table' } },
      smartImageColumn: 'image',
      errors: [],
    });
    expect(row!.files.get('photos/shirt.png')?.path).toBe(path.join(dir, 'photos', 'shirt.png'));
  });

  it('a bad row names its row number, column and path; the other rows are planned', async () => {
    const rows = await plan(
      [
        'key,Heading #1,Image #1,image,operation',
        'a,Good,,https://example.com/a.png,', // row 2: fine (URLs are checked by the server)
        'b,Too few cells', // row 3
        'c,Missing,photos/none.jpg,,', // row 4
        'a,Same key,,,', // row 5
        'd,Bad op,,photos/shirt.png,lifestyle', // row 6
        'e,No photo,,,expand_image', // row 7
        'f,Folder,photos,,', // row 8
      ].join('\n'),
    );
    expect(rows.map((r) => [r.row, r.errors])).toEqual([
      [2, []],
      [3, ['row 3: has 2 cells but the header has 5 columns (a missing or extra comma?)']],
      [4, [`row 4, column "Image #1": file photos/none.jpg does not exist (looked for ${path.join(dir, 'photos/none.jpg')})`]],
      [5, ['row 5, column "key": "a" is also the key of row 2 (each row needs its own output folder)']],
      [6, ['row 6, column "operation": "lifestyle" must be one of lifestyle_shot_by_text, expand_image']],
      [7, ['row 7, column "image": empty, but the row has operation "expand_image", which needs a product photo (fill image, or pass --image for every row)']],
      [8, [`row 8, column "Image #1": photos is not a file (${path.join(dir, 'photos')})`]],
    ]);
    // With --image for every row, an operation without a photo cell is fine.
    expect((await plan('Heading #1,operation\nx,expand_image\n', true))[0]!.errors).toEqual([]);
  });

  it('server errors about rows[i] are rewritten to the CSV row and column', async () => {
    const [row] = await plan('Heading #1,Image #1,image\nx,photos/shirt.png,photos/shirt.png\n');
    expect(nameRowFields('rows[0].elements[1].content_type "X" is not a slot', row!)).toBe('row 2, column "Image #1" "X" is not a slot');
    expect(nameRowFields('Unprocessable Entity. (rows[0].smart_image.input_image_url: the URL could not be fetched)', row!)).toBe('Unprocessable Entity. (row 2, column "image": the URL could not be fetched)');
  });

  it('the row signature changes with its content and with its photo file, not with unrelated rows', async () => {
    const [a] = await plan('Heading #1,image\nx,photos/shirt.png\n');
    const [b] = await plan('Heading #1,image\ny,photos/shirt.png\n');
    const shared = { template_id: '1062' };
    const before = rowSignature(shared, a!);
    expect(rowSignature(shared, b!)).not.toBe(before);
    expect(rowSignature({ template_id: '1062', output_format: 'jpeg' }, a!)).not.toBe(before);
    fs.writeFileSync(path.join(dir, 'photos', 'shirt.png'), 'a new photo, another size');
    const [again] = await plan('Heading #1,image\nx,photos/shirt.png\n');
    expect(rowSignature(shared, again!)).not.toBe(before);
  });
});
