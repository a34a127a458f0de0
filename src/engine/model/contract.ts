import type { LayerType, TemplateDocument } from './template.js';

/** One element as the contract's GET /ads/templates/{id} lists it. */
export interface ContractElement {
  id: string;
  layer_type: LayerType;
  content_type: string | null;
  content: string;
  scene_number: number;
}

export type ContractTemplate = {
  scene_resolutions: Record<string, { width: number; height: number }>;
} & Record<string, ContractElement[] | Record<string, { width: number; height: number }>>;

/** Scene keys are positional: the first scene is `scene_1`. */
export function sceneKey(index: number): string {
  return `scene_${index + 1}`;
}

/** The contract's outer shape (`scene_1: [...]`, `scene_resolutions`) derived from a template document. */
export function toContractTemplate(doc: TemplateDocument): ContractTemplate {
  const out: Record<string, unknown> = {};
  const resolutions: Record<string, { width: number; height: number }> = {};
  doc.scenes.forEach((scene, i) => {
    const key = sceneKey(i);
    out[key] = scene.elements.map(
      (el): ContractElement => ({
        id: el.id,
        layer_type: el.layer_type,
        content_type: el.content_type,
        content: el.content,
        scene_number: i + 1,
      }),
    );
    resolutions[key] = { width: scene.width, height: scene.height };
  });
  out['scene_resolutions'] = resolutions;
  return out as ContractTemplate;
}

/** Every content-type slot the template offers, sorted, for error messages and the editor. */
export function templateSlots(doc: TemplateDocument): string[] {
  const slots = new Set<string>();
  for (const scene of doc.scenes) for (const el of scene.elements) if (el.content_type) slots.add(el.content_type);
  return [...slots].sort();
}
