/** The stored versions of the template: open one to look at it, or restore it (stored again as the newest version). */
import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../shared/Dialog.js';
import type { Adsmith } from '../../playground/api.js';
import { client } from '../../playground/session.js';
import type { TemplateDocument } from '../../../../src/engine/model/template.js';
import type { DesignerStore } from '../store.js';

export function VersionsDialog({ store, open, onClose }: { store: DesignerStore; open: boolean; onClose: () => void }) {
  const [versions, setVersions] = useState<Array<{ version: number; created_at: string }> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const id = store.id.value;
  useEffect(() => {
    if (!open || id === null) return;
    setVersions(null);
    (client.value as Adsmith).templates
      .versions(id)
      .then((v) => setVersions([...v].sort((a, b) => b.version - a.version)))
      .catch((err: Error) => setProblem(err.message));
  }, [open, id, store.version.value]);

  const leave = () => !store.dirty.value || confirm('Discard the unsaved changes in the designer?');

  const openVersion = async (version: number) => {
    if (id === null || !leave()) return;
    try {
      const rec = await (client.value as Adsmith).templates.version(id, version);
      // Compared with the latest version it is unsaved work: Save (or Restore) stores it as the newest version.
      store.replaceWith(rec.document as unknown as TemplateDocument, null);
      store.status.value = { kind: 'info', text: `Showing version ${version}. Saving stores it as a new version; Restore does so at once.` };
      onClose();
    } catch (err) {
      setProblem((err as Error).message);
    }
  };

  const restore = async (version: number) => {
    if (!leave()) return;
    await store.restore(version);
    onClose();
  };

  return (
    <Dialog open={open} title="Versions" onClose={onClose}>
      {problem && <p class="notice">{problem}</p>}
      {!versions && !problem && <p class="hint">Loading…</p>}
      {versions && (
        <ul class="d-versions">
          {versions.map((v) => (
            <li key={v.version} data-version={v.version}>
              <span>
                Version {v.version} {v.version === store.version.value ? '(latest)' : ''}
                <span class="muted small"> · {new Date(v.created_at).toLocaleString()}</span>
              </span>
              <button type="button" class="btn" onClick={() => void openVersion(v.version)}>
                Open
              </button>
              <button type="button" class="btn" disabled={v.version === store.version.value} onClick={() => void restore(v.version)}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
