import { useState } from 'preact/hooks';
import type { SceneInfo } from './api.js';
import { EditorDialog } from './EditorDialog.js';
import { cancelRun, run } from './generate.js';
import { client } from './session.js';
import { SceneCard } from './SceneCard.js';

/** The job's scenes as they finish (Server-Sent Events), with its progress; each opens in the editor. */
export function Results() {
  const r = run.value;
  const [editing, setEditing] = useState<SceneInfo | null>(null);
  const seconds = r?.finishedAt ? ((r.finishedAt - r.startedAt) / 1000).toFixed(1) : null;
  const percent = r && r.scenesTotal ? Math.round((r.scenesDone / r.scenesTotal) * 100) : 0;

  return (
    <section class="results" aria-labelledby="results-title">
      <div class="results__bar">
        <h2 id="results-title" class="results__title">
          Your ads
        </h2>
        <p class="results__status" role="status" aria-live="polite">
          {!r
            ? ''
            : r.phase === 'uploading'
              ? 'Uploading the photo…'
              : r.phase === 'rendering'
                ? r.scenesTotal
                  ? `Rendering: ${r.scenesDone} of ${r.scenesTotal} scenes`
                  : 'Sending the request…'
                : r.phase === 'done'
                  ? `${r.scenesDone} of ${r.scenesTotal} scenes in ${seconds} s`
                  : ''}
        </p>
        {r && r.phase === 'rendering' && r.requestId && client.value && (
          <button type="button" class="button button--small button--ghost" onClick={() => void cancelRun(client.value!)}>
            Cancel
          </button>
        )}
      </div>
      {r && (r.phase === 'rendering' || r.phase === 'uploading') && (
        <div class="progress" role="progressbar" aria-label="Scenes rendered" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <span style={{ width: `${Math.max(percent, 3)}%` }} />
        </div>
      )}
      {r?.error && (
        <p class="notice notice--error" role="alert">
          {r.error}
        </p>
      )}
      {!r ? (
        <div class="results__empty">
          <div class="results__ghosts" aria-hidden="true">
            <span style={{ aspectRatio: '1' }} />
            <span style={{ aspectRatio: '4 / 5' }} />
            <span style={{ aspectRatio: '9 / 16' }} />
            <span style={{ aspectRatio: '1.91' }} />
          </div>
          <p>Every size of the template appears here as soon as it is rendered.</p>
        </div>
      ) : (
        r.scenes.length > 0 && (
          <ul class="scenes" aria-label="Scenes">
            {r.scenes.map((s) => (
              <SceneCard key={s.key} scene={s} onOpen={setEditing} />
            ))}
          </ul>
        )
      )}
      <EditorDialog scene={editing} onClose={() => setEditing(null)} />
    </section>
  );
}
