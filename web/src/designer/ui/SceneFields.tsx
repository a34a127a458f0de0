/** The shown scene's own fields: its name and its background colour (a brand role or any colour). */
import { BRAND_COLOR_ROLES } from '../../../../src/engine/model/refs.js';
import type { Change } from '../../editor/model/types.js';
import type { DesignerStore } from '../store.js';

function setScene(store: DesignerStore, key: 'name' | 'background', after: unknown, label: string): Change | null {
  const before = store.doc.value.scene[key];
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  return { label, ops: [{ kind: 'set', path: ['scene', key], before, after }] };
}

export function SceneFields({ store }: { store: DesignerStore }) {
  const scene = store.scene;
  const bg = scene.background;
  const colour = bg.type === 'color' ? bg.color : null;
  const brand = store.brand;
  const hex = colour && /^#[0-9a-f]{6}$/i.test(colour) ? colour : brand && colour?.startsWith('brand.') ? (brand.colors[colour.slice(6).split('/')[0] as keyof typeof brand.colors] ?? '#ffffff') : '#ffffff';
  return (
    <section class="panel d-scene" aria-labelledby="scene-title">
      <h2 id="scene-title" class="panel-title">
        Scene {scene.width}×{scene.height}
      </h2>
      <div class="d-scene-body">
        <div class="field">
          <label for="scene-name">Name</label>
          <input id="scene-name" class="d-input" value={scene.name} maxLength={120} onChange={(e) => store.dispatch(setScene(store, 'name', (e.currentTarget as HTMLInputElement).value.trim() || scene.name, 'Rename scene'))} />
        </div>
        {bg.type === 'color' ? (
          <div class="field">
            <label for="scene-bg">Background</label>
            <div class="row">
              <select id="scene-bg" value={colour?.startsWith('brand.') ? colour : 'custom'} onChange={(e) => {
                const v = (e.currentTarget as HTMLSelectElement).value;
                store.dispatch(setScene(store, 'background', { type: 'color', color: v === 'custom' ? hex : v }, 'Background'));
              }}>
                {BRAND_COLOR_ROLES.map((role) => (
                  <option key={role} value={`brand.${role}`}>
                    Brand {role}
                  </option>
                ))}
                <option value="custom">Other colour</option>
              </select>
              <input type="color" aria-label="Background colour" value={hex} onChange={(e) => store.dispatch(setScene(store, 'background', { type: 'color', color: (e.currentTarget as HTMLInputElement).value }, 'Background'))} />
            </div>
          </div>
        ) : (
          <p class="hint">Background: {bg.type.replace('_', ' ')} (kept as the template has it).</p>
        )}
      </div>
    </section>
  );
}
