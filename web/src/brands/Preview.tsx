import { useEffect, useRef, useState } from 'preact/hooks';
import { createBrowserEngine, fetchTemplateDocument, type BrowserEngine, type TemplateDocument } from '../engine-host/index.js';
import { templates } from '../playground/catalog.js';
import { token } from '../playground/session.js';
import { draft } from './store.js';

/** Longest side of a scene in the preview, in CSS pixels. */
const PREVIEW_SIDE = 300;
/** Typing in a colour field redraws after this pause, not on every keystroke. */
const REDRAW_DELAY_MS = 250;

let engine: { token: string; engine: BrowserEngine } | null = null;
function engineFor(t: string): BrowserEngine {
  if (engine?.token !== t) engine = { token: t, engine: createBrowserEngine({ token: t }) };
  return engine.engine;
}

/** The draft brand (saved or not) on every scene of a template the user picks, drawn in this page by the engine. */
export function Preview() {
  const list = (templates.value ?? []).filter((t) => t.requires_brand !== false);
  const [templateId, setTemplateId] = useState<string>('');
  const chosen = templateId || (list[0] ? String(list[0].id) : '');
  const [template, setTemplate] = useState<TemplateDocument | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const t = token.value ?? '';

  useEffect(() => {
    if (!chosen) return;
    let live = true;
    setTemplate(null);
    fetchTemplateDocument(chosen, { token: t }).then(
      (rec) => live && setTemplate(rec.document),
      (err: unknown) => live && setProblem(`Template ${chosen} could not be read: ${(err as Error).message}`),
    );
    return () => {
      live = false;
    };
  }, [chosen, t]);

  return (
    <fieldset class="section">
      <legend class="section__title">Preview</legend>
      <div class="preview__bar">
        <label class="field__label" for="preview-template">
          Template
        </label>
        <select id="preview-template" class="input" value={chosen} onChange={(e) => setTemplateId((e.target as HTMLSelectElement).value)}>
          {list.map((tpl) => (
            <option key={tpl.id} value={String(tpl.id)}>
              {tpl.name} #{tpl.id} · {tpl.number_of_ads} {tpl.number_of_ads === 1 ? 'size' : 'sizes'}{tpl.public === false ? ' · yours' : ''}
            </option>
          ))}
        </select>
        <span class="section__hint">The unsaved draft, drawn here by the same engine as the server.</span>
      </div>
      {problem && <p class="notice notice--error" role="alert">{problem}</p>}
      {template ? <Scenes template={template} /> : <p class="empty" aria-busy="true">Loading the template…</p>}
    </fieldset>
  );
}

function Scenes({ template }: { template: TemplateDocument }) {
  const canvases = useRef<Array<HTMLCanvasElement | null>>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [state, setState] = useState<'drawing' | 'drawn' | 'failed'>('drawing');
  const brand = draft.value;
  const t = token.value ?? '';

  useEffect(() => {
    if (!brand) return;
    let live = true;
    setState('drawing');
    const timer = setTimeout(() => {
      const e = engineFor(t);
      void (async () => {
        const seen = new Set<string>();
        try {
          for (let i = 0; i < template.scenes.length && live; i++) {
            const scene = template.scenes[i]!;
            const canvas = canvases.current[i];
            if (!canvas) continue;
            const scale = (Math.min(1, PREVIEW_SIDE / Math.max(scene.width, scene.height)) * (window.devicePixelRatio || 1));
            const info = await e.renderScene(canvas, { template, brand, elements: [], sceneIndex: i, scale });
            for (const w of info.warnings) seen.add(w);
          }
          if (live) {
            setWarnings([...seen]);
            setState('drawn');
          }
        } catch (err) {
          if (live) {
            setWarnings([(err as Error).message]);
            setState('failed');
          }
        }
      })();
    }, REDRAW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [template, brand, t]);

  return (
    <>
      <div class="preview__scenes" data-state={state} data-testid="preview">
        {template.scenes.map((scene, i) => {
          const fit = Math.min(1, PREVIEW_SIDE / Math.max(scene.width, scene.height));
          return (
            <figure key={`${template.id}-${i}`} class="preview__scene">
              <canvas ref={(el) => void (canvases.current[i] = el)} style={{ width: `${Math.round(scene.width * fit)}px`, height: `${Math.round(scene.height * fit)}px` }} aria-label={`${scene.name}, ${scene.width}×${scene.height}`} />
              <figcaption>
                {scene.name} <span class="mono">{scene.width}×{scene.height}</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
      {warnings.length > 0 && (
        <ul class="preview__warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </>
  );
}
