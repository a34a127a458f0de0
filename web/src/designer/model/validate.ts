/**
 * The designer's check of a template before it saves or imports one: the
 * engine's schema (src/engine/model/template.ts, also /v1/schemas/template.json)
 * and the engine's own rules (unique ids, slots that fit their layer, size
 * ranges) — the rules the server applies, so a document that passes here is
 * not refused there for its shape.
 */
import { migrateTemplate } from '../../../../src/engine/model/migrate.js';
import { templateRuleViolation } from '../../../../src/engine/model/template-rules.js';
import { TemplateDocument } from '../../../../src/engine/model/template.js';
import { checkSchema } from '../../shared/schema-check.js';
import { locateProblem, type LocatedProblem } from './problems.js';

/** The first problem of the document, located (scene, element, field), or null. */
export function validateTemplate(doc: unknown): LocatedProblem | null {
  const shape = checkSchema(TemplateDocument as unknown as Record<string, unknown>, doc);
  const template = doc as TemplateDocument;
  if (shape) return locateProblem(template && typeof template === 'object' && Array.isArray(template.scenes) ? template : { ...(template as object), scenes: [] } as unknown as TemplateDocument, shape.path, shape.rule);
  const rule = templateRuleViolation(template);
  return rule ? locateProblem(template, rule.path, rule.rule) : null;
}

export type Imported = { ok: true; template: TemplateDocument } | { ok: false; message: string; problem: LocatedProblem | null };

/** A template from an exported JSON file: parsed, migrated to the current version and checked; the message says what to fix. */
export function importTemplate(text: string, fileName: string): Imported {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `${fileName} is not JSON (${(err as Error).message}). Export a template from the designer, or check the file.`, problem: null };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: `${fileName} is JSON but not a template document (an object with scenes).`, problem: null };
  let migrated: unknown;
  try {
    migrated = migrateTemplate(raw);
  } catch (err) {
    return { ok: false, message: `${fileName}: ${(err as Error).message}`, problem: null };
  }
  const problem = validateTemplate(migrated);
  if (problem) return { ok: false, message: `${fileName} is not a valid template: ${problem.message}`, problem };
  return { ok: true, template: migrated as TemplateDocument };
}
