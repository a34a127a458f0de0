import { readFile } from 'node:fs/promises';
import { publicBrand, publicBrands, publicTemplate, publicTemplates } from '../assets/index.js';
import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import { parseBrand, parseTemplate } from '../engine/model/validate.js';
import { CliError } from './errors.js';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError('input', `Cannot read the ${what} file ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError('input', `The ${what} file ${path} is not valid JSON: ${(err as Error).message}.`);
  }
}

const looksLikePath = (arg: string) => arg.endsWith('.json') || arg.includes('/') || arg.includes('\\');

/** `--template`: a public template id or a path to a template document. */
export async function loadTemplateArg(arg: string): Promise<TemplateDocument> {
  if (looksLikePath(arg)) return parseTemplate(await readJson(arg, 'template'));
  const found = publicTemplate(arg);
  if (!found) throw new CliError('input', `No template "${arg}". Public templates: ${publicTemplates().map((t) => t.id).join(', ')}; or pass a path to a template JSON file.`);
  return found;
}

/** `--brand`: a public brand id or a path to a brand document. */
export async function loadBrandArg(arg: string | undefined): Promise<BrandDocument | null> {
  if (arg === undefined) return null;
  if (looksLikePath(arg)) return parseBrand(await readJson(arg, 'brand'));
  const found = publicBrand(arg);
  if (!found) throw new CliError('input', `No brand "${arg}". Public brands: ${publicBrands().map((b) => b.id).join(', ')}; or pass a path to a brand JSON file.`);
  return found;
}
