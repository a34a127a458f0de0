/** One tab per scene (its size), add a scene of a preset or custom size, remove the shown one. */
import { useState } from 'preact/hooks';
import type { DesignerStore } from '../store.js';
import { SizePicker } from './SizePicker.js';

export function SceneTabs({ store }: { store: DesignerStore }) {
  const sizes = store.sceneSizes.value;
  const active = store.active.value;
  const [adding, setAdding] = useState(false);
  return (
    <nav class="d-tabs" aria-label="Scenes">
      <div role="tablist" aria-label="Scenes" class="d-tablist">
        {sizes.map((s, i) => (
          <button key={i} type="button" role="tab" aria-selected={i === active} class={`d-tab${i === active ? ' is-on' : ''}`} title={s.name} onClick={() => store.showScene(i)}>
            {s.width}×{s.height}
          </button>
        ))}
      </div>
      {adding ? (
        <SizePicker
          label="Add a scene"
          submit="Add scene"
          onPick={(w, h) => {
            store.addScene(w, h);
            setAdding(false);
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" class="btn" onClick={() => setAdding(true)}>
          + Scene
        </button>
      )}
      {sizes.length > 1 && (
        <button
          type="button"
          class="btn danger"
          onClick={() => {
            if (confirm(`Remove the scene ${sizes[active]!.width}×${sizes[active]!.height} and its elements?`)) store.removeScene(active);
          }}
        >
          Remove scene
        </button>
      )}
    </nav>
  );
}
