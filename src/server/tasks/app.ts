import fs from 'node:fs';
import { Ajv } from 'ajv';
import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { renameFields } from '../batch/request.js';
import { describeAjvError, dropNulls } from '../contract/validate.js';

/**
 * The hosted app Adsmith serves through the task protocol: its names, and its
 * input as the hosted app's JSON Schema (contract/inference-app/input_schema.json)
 * defines it, turned into a generate request.
 */

/** The app's names; `bria/ads-generate` is how code written for the hosted app calls it. */
export const APPS = ['bria/ads-generate', 'adsmith/ads-generate'] as const;

/** The app a run names, without a version suffix (`bria/ads-generate@latest`, `…@v1.2`); 404 for any other app. */
export function resolveApp(name: string): (typeof APPS)[number] {
  const base = name.trim().split('@')[0]?.replace(/:.*$/, '').toLowerCase() ?? '';
  const app = APPS.find((a) => a === base);
  if (!app) throw new AdsmithError('ADS_APP_UNKNOWN', { app: name.slice(0, 200), apps: APPS.join(', ') });
  return app;
}

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(new URL(`../../../contract/inference-app/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export const APP_INPUT_SCHEMA = readSchema('input_schema.json');
export const APP_OUTPUT_SCHEMA = readSchema('output_schema.json');

const ajv = new Ajv({ allErrors: false, strict: false });
const validateInput = ajv.compile(APP_INPUT_SCHEMA);

/** Fields Adsmith accepts in `input` beyond the hosted app's schema. */
const ADSMITH_EXTRAS = ['output_format', 'scale', 'max_kb'] as const;
const APP_FIELDS = ['template_id', 'brand_id', 'smart_image', 'elements', 'content_moderation'] as const;

function inputError(field: string, problem: string): AdsmithError {
  return new AdsmithError('ADS_BAD_REQUEST', { field: field === 'body' ? 'input' : `input.${field}`, problem });
}

/**
 * Checks a run's `input` against the hosted app's input schema (null counts as absent, as the app's defaults are
 * null) and returns it as a generate body. Unknown fields are refused, naming them, as generate does.
 */
export function generateBodyOfInput(input: unknown, webhook: string | undefined): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AdsmithError('ADS_BAD_REQUEST', { field: 'input', problem: 'must be a JSON object with the app input (template_id, brand_id, elements, smart_image, content_moderation).' });
  const cleaned = dropNulls(input) as Record<string, unknown>;
  if (!validateInput(cleaned)) {
    const first = validateInput.errors?.[0];
    const { field, problem } = first ? describeAjvError(first) : { field: 'body', problem: 'is invalid.' };
    throw inputError(field, problem);
  }
  const known = new Set<string>([...APP_FIELDS, ...ADSMITH_EXTRAS]);
  const unknown = Object.keys(cleaned).find((k) => !known.has(k));
  if (unknown) throw inputError(unknown, `is not an input of the app: it takes ${APP_FIELDS.join(', ')} (and Adsmith's ${ADSMITH_EXTRAS.join(', ')}).`);
  return { ...cleaned, ...(webhook !== undefined ? { webhook_url: webhook } : {}) };
}

/** A generate error as the task protocol names things: `input.elements[0].content`, `webhook`. */
export function taskError(err: unknown, elementCount: number): unknown {
  if (!isAdsmithError(err)) return err;
  if (err.code === 'ADS_BAD_REQUEST') {
    const field = String(err.params['field'] ?? 'body');
    return new AdsmithError('ADS_BAD_REQUEST', { ...err.params, field: field === 'webhook_url' ? 'webhook' : field.startsWith('input') || field === 'Idempotency-Key header' ? field : `input.${field}` });
  }
  const renamed = new AdsmithError(err.code, err.params);
  renamed.message = renameFields(err.message, { elements: Array.from({ length: elementCount }, (_, i) => `input.elements[${i}]`), smartImage: 'input.smart_image' });
  return renamed;
}
