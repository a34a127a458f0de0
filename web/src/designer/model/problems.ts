/**
 * Where a validation problem is, for people: the server's and the import's
 * messages name a JSON path (`$.scenes[1].elements[3].style.font_size.min`);
 * the designer shows the scene, the element (by name) and the field instead,
 * and can select that element.
 */
import type { TemplateDocument } from '../../../../src/engine/model/template.js';

export interface LocatedProblem {
  /** 0-based, when the path is inside a scene. */
  sceneIndex: number | null;
  elementId: string | null;
  /** The field inside the element (or scene, or template): `style.font_size.min`. */
  field: string;
  /** One sentence naming where and what. */
  message: string;
}

const PATH = /^\$\.scenes\[(\d+)\](?:\.elements\[(\d+)\])?\.?(.*)$/;

export function locateProblem(template: TemplateDocument, path: string, rule: string): LocatedProblem {
  const m = PATH.exec(path);
  if (!m) {
    const field = path.replace(/^\$\.?/, '') || 'document';
    return { sceneIndex: null, elementId: null, field, message: `Template ${field}: ${rule}.` };
  }
  const sceneIndex = Number(m[1]);
  const scene = template.scenes[sceneIndex];
  const sceneLabel = scene ? `Scene ${sceneIndex + 1} (${scene.name})` : `Scene ${sceneIndex + 1}`;
  if (m[2] === undefined) {
    const field = m[3] || 'scene';
    return { sceneIndex, elementId: null, field, message: `${sceneLabel}, ${field}: ${rule}.` };
  }
  const el = scene?.elements[Number(m[2])];
  const field = m[3] || 'element';
  const who = el ? `element "${el.name ?? el.id}" (${el.id})` : `element ${Number(m[2]) + 1}`;
  return { sceneIndex, elementId: el?.id ?? null, field, message: `${sceneLabel}, ${who}, ${field}: ${rule}.` };
}

/** The server's ADS_TEMPLATE_INVALID message ("The template document is invalid at $.x: rule.") split into path and rule. */
export function parseServerProblem(message: string): { path: string; rule: string } | null {
  const m = /invalid at (\$[^\s:]*): (.*?)\.?$/s.exec(message);
  return m ? { path: m[1]!, rule: m[2]! } : null;
}
