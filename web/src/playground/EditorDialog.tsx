import { Dialog } from '../shared/Dialog.js';
import type { SceneInfo } from './api.js';

/** The scene's editor_iframe inside the page, as a host application would embed it. */
export function EditorDialog({ scene, onClose }: { scene: SceneInfo | null; onClose: () => void }) {
  return (
    <Dialog
      open={scene !== null}
      title={scene ? `Edit ${scene.name}` : 'Editor'}
      onClose={onClose}
      class="editor-dialog"
      actions={
        scene && (
          <a class="button button--small button--ghost" href={scene.editor_iframe} target="_blank" rel="noopener">
            Open in a new tab
          </a>
        )
      }
    >
      {scene && <iframe class="editor-dialog__frame" src={scene.editor_iframe} title={`Ads editor: ${scene.name}`} />}
    </Dialog>
  );
}
