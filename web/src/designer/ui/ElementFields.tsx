/**
 * The designer's fields for the selected element, beside the editor's
 * Properties (content, colour, font, logo, box): its slot, the text fit
 * (sizes, lines, alignment, weight), and its resize rule.
 */
import type { Element } from '../../../../src/engine/model/template.js';
import { setField } from '../model/edit.js';
import { defaultRule, ruleFor, type HorizontalPin, type ResizeRule, type VerticalPin } from '../model/resize.js';
import { slotsFor } from '../model/template.js';
import type { DesignerStore } from '../store.js';

function num(raw: string): number | null {
  const v = Number(raw);
  return raw.trim() !== '' && Number.isFinite(v) ? v : null;
}

export function ElementFields({ store, el }: { store: DesignerStore; el: Element }) {
  const idp = `d-${el.id}`;
  const set = (path: (string | number)[], value: unknown, label: string) => store.dispatch(setField(store.doc.value, el.id, path, value, label));
  return (
    <>
      <div class="field">
        <label for={`${idp}-slot`}>Slot (content_type)</label>
        <select id={`${idp}-slot`} value={el.content_type ?? ''} onChange={(e) => set(['content_type'], (e.currentTarget as HTMLSelectElement).value || null, 'Slot')}>
          <option value="">None (fixed content)</option>
          {slotsFor(el.layer_type).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idp}-name`}>Name</label>
        <input id={`${idp}-name`} class="d-input" value={el.name ?? ''} maxLength={120} onChange={(e) => set(['name'], (e.currentTarget as HTMLInputElement).value || undefined, 'Rename')} />
      </div>
      {el.layer_type === 'text' && <TextFit store={store} el={el} idp={idp} set={set} />}
      <RuleFields store={store} el={el} idp={idp} />
    </>
  );
}

function TextFit({ el, idp, set }: { store: DesignerStore; el: Extract<Element, { layer_type: 'text' }>; idp: string; set: (path: (string | number)[], value: unknown, label: string) => void }) {
  const s = el.style;
  const size = (key: 'max' | 'min', raw: string) => {
    const v = num(raw);
    if (v !== null && v > 0 && v <= 2000) set(['style', 'font_size', key], v, 'Text size');
  };
  return (
    <fieldset class="field d-grid">
      <legend>Text fit</legend>
      <div class="num">
        <label for={`${idp}-max`}>Max size px</label>
        <input id={`${idp}-max`} type="number" min="1" max="2000" value={s.font_size.max} onChange={(e) => size('max', (e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="num">
        <label for={`${idp}-min`}>Min size px</label>
        <input id={`${idp}-min`} type="number" min="1" max="2000" value={s.font_size.min} onChange={(e) => size('min', (e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="num">
        <label for={`${idp}-lines`}>Max lines</label>
        <input
          id={`${idp}-lines`}
          type="number"
          min="1"
          max="100"
          placeholder="any"
          value={s.max_lines ?? ''}
          onChange={(e) => {
            const v = num((e.currentTarget as HTMLInputElement).value);
            set(['style', 'max_lines'], v === null ? undefined : Math.max(1, Math.min(100, Math.round(v))), 'Max lines');
          }}
        />
      </div>
      <div class="num">
        <label for={`${idp}-weight`}>Weight</label>
        <select id={`${idp}-weight`} value={String(s.font_weight ?? 400)} onChange={(e) => set(['style', 'font_weight'], Number((e.currentTarget as HTMLSelectElement).value), 'Weight')}>
          {[300, 400, 500, 600, 700, 800, 900].map((w) => (
            <option key={w} value={String(w)}>
              {w}
            </option>
          ))}
        </select>
      </div>
      <div class="num">
        <label for={`${idp}-valign`}>Vertical</label>
        <select id={`${idp}-valign`} value={s.vertical_align ?? 'top'} onChange={(e) => set(['style', 'vertical_align'], (e.currentTarget as HTMLSelectElement).value, 'Vertical alignment')}>
          <option value="top">Top</option>
          <option value="middle">Middle</option>
          <option value="bottom">Bottom</option>
        </select>
      </div>
      <div class="num">
        <label for={`${idp}-lh`}>Line height</label>
        <input id={`${idp}-lh`} type="number" min="0.7" max="4" step="0.05" value={s.line_height ?? 1.2} onChange={(e) => {
          const v = num((e.currentTarget as HTMLInputElement).value);
          if (v !== null && v >= 0.7 && v <= 4) set(['style', 'line_height'], v, 'Line height');
        }} />
      </div>
    </fieldset>
  );
}

const H_PINS: Array<[HorizontalPin, string]> = [['left', 'Left'], ['center', 'Centre'], ['right', 'Right'], ['stretch', 'Left and right']];
const V_PINS: Array<[VerticalPin, string]> = [['top', 'Top'], ['middle', 'Middle'], ['bottom', 'Bottom'], ['stretch', 'Top and bottom']];

/** The element's resize rule, as used by "Resize to all sizes"; shown whether or not the designer changed it. */
function RuleFields({ store, el, idp }: { store: DesignerStore; el: Element; idp: string }) {
  const scene = store.scene;
  const rule = ruleFor(store.rules.value, el, scene);
  const custom = store.rules.value[el.id] !== undefined;
  const update = (patch: Partial<ResizeRule>) => store.setRule(el.id, { ...rule, ...patch });
  return (
    <fieldset class="field d-grid d-rule" aria-describedby={`${idp}-rule-help`}>
      <legend>Resize rule {custom ? '' : '(automatic)'}</legend>
      <div class="num">
        <label for={`${idp}-pinh`}>Pinned (horizontal)</label>
        <select id={`${idp}-pinh`} value={rule.horizontal} onChange={(e) => update({ horizontal: (e.currentTarget as HTMLSelectElement).value as HorizontalPin })}>
          {H_PINS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div class="num">
        <label for={`${idp}-pinv`}>Pinned (vertical)</label>
        <select id={`${idp}-pinv`} value={rule.vertical} onChange={(e) => update({ vertical: (e.currentTarget as HTMLSelectElement).value as VerticalPin })}>
          {V_PINS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <label class="d-check">
        <input type="checkbox" checked={rule.keepAspect} onChange={(e) => update({ keepAspect: (e.currentTarget as HTMLInputElement).checked })} /> Keep aspect
      </label>
      <div class="num">
        <label for={`${idp}-hide`}>Hide below px</label>
        <input
          id={`${idp}-hide`}
          type="number"
          min="0"
          placeholder="never"
          value={rule.hideBelow ?? ''}
          onChange={(e) => {
            const v = num((e.currentTarget as HTMLInputElement).value);
            update({ hideBelow: v === null || v <= 0 ? null : Math.round(v) });
          }}
        />
      </div>
      {rule.textSize && (
        <>
          <div class="num">
            <label for={`${idp}-tmin`}>Text at least px</label>
            <input id={`${idp}-tmin`} type="number" min="1" value={rule.textSize.min} onChange={(e) => {
              const v = num((e.currentTarget as HTMLInputElement).value);
              if (v !== null && v > 0) update({ textSize: { min: v, max: Math.max(v, rule.textSize!.max) } });
            }} />
          </div>
          <div class="num">
            <label for={`${idp}-tmax`}>Text at most px</label>
            <input id={`${idp}-tmax`} type="number" min="1" value={rule.textSize.max} onChange={(e) => {
              const v = num((e.currentTarget as HTMLInputElement).value);
              if (v !== null && v > 0) update({ textSize: { min: Math.min(v, rule.textSize!.min), max: v } });
            }} />
          </div>
        </>
      )}
      <p id={`${idp}-rule-help`} class="hint d-span">
        Used when this scene is resized to other sizes: the pinned sides keep their margin, “Hide below” leaves the element out of scenes whose shorter side is smaller.
        {custom && (
          <>
            {' '}
            <button type="button" class="link-btn" onClick={() => store.setRule(el.id, defaultRule(el, scene))}>
              Reset to automatic
            </button>
          </>
        )}
      </p>
    </fieldset>
  );
}
