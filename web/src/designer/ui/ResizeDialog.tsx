/** "Resize to all sizes": from the scene shown, a proposed scene for every chosen size the template does not have yet. */
import { useState } from 'preact/hooks';
import { Dialog } from '../../shared/Dialog.js';
import { PRESETS } from '../model/presets.js';
import type { DesignerStore } from '../store.js';

export function ResizeDialog({ store, open, onClose }: { store: DesignerStore; open: boolean; onClose: () => void }) {
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(PRESETS.map((p) => `${p.width}x${p.height}`)));
  const [reflow, setReflow] = useState(true);
  const have = new Set(store.sceneSizes.value.map((s) => `${s.width}x${s.height}`));
  const source = store.scene;
  const run = () => {
    const sizes = PRESETS.filter((p) => chosen.has(`${p.width}x${p.height}`));
    const { added, kept } = store.resizeToAll(sizes, { reflow });
    store.status.value = { kind: 'success', text: `Proposed ${added} new scene${added === 1 ? '' : 's'} from ${source.width}×${source.height}${kept ? `; ${kept} size(s) the template already had kept their own layout` : ''}.` };
    onClose();
  };
  return (
    <Dialog
      open={open}
      title={`Resize ${source.width}×${source.height} to other sizes`}
      onClose={onClose}
      actions={
        <button type="button" class="btn primary" onClick={run}>
          Propose layouts
        </button>
      }
    >
      <p class="hint">
        Each element follows its resize rule (select it to see or change the rule: pinned sides, keep aspect, text size range, hide below a size). Sizes the
        template already has keep their own layout.
      </p>
      <label class="d-check">
        <input type="checkbox" checked={reflow} onChange={(e) => setReflow((e.currentTarget as HTMLInputElement).checked)} /> Side by side when the shape changes a lot
        (a square to a banner: top to bottom becomes left to right)
      </label>
      <ul class="d-sizes">
        {PRESETS.map((p) => {
          const key = `${p.width}x${p.height}`;
          return (
            <li key={key}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(key)}
                  disabled={have.has(key)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if ((e.currentTarget as HTMLInputElement).checked) next.add(key);
                    else next.delete(key);
                    setChosen(next);
                  }}
                />{' '}
                {p.width}×{p.height} {p.name} {have.has(key) ? '(already a scene)' : ''}
              </label>
            </li>
          );
        })}
      </ul>
    </Dialog>
  );
}
