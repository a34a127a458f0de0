import type { SceneInfo } from './api.js';

/** The largest box a scene is shown in (CSS px): the narrowest card's frame. */
const FRAME = { width: 144, height: 162 };

/**
 * One scene of the job: a placeholder of the right shape while it renders, then
 * the image (the result URL answers 202 until then, so it is only set once the
 * scene is done), its size, and ways to open it in the editor.
 */
export function SceneCard({ scene, onOpen }: { scene: SceneInfo; onOpen: (scene: SceneInfo) => void }) {
  const done = scene.status === 'done';
  const failed = scene.status === 'failed' || scene.status === 'cancelled' || scene.status === 'moderated';
  // The scene's shape, fitted to the card's frame, for the image and for its placeholder alike.
  const fit = Math.min(FRAME.width / scene.width, FRAME.height / scene.height);
  const box = { width: `${Math.round(scene.width * fit)}px`, height: `${Math.round(scene.height * fit)}px` };
  return (
    <li class={`scene scene--${scene.status}`} data-scene={scene.key}>
      <div class="scene__frame">
        <div class="scene__media" style={box}>
          {done ? (
            <img src={scene.url} alt={`${scene.name}, ${scene.width} × ${scene.height}`} />
          ) : failed ? (
            <span class="scene__failed" title={scene.error?.message}>{scene.status === 'moderated' ? 'Held back by moderation' : scene.error?.message ?? `Scene ${scene.status}`}</span>
          ) : (
            <span class="scene__pending" aria-hidden="true" />
          )}
        </div>
      </div>
      <div class="scene__info">
        <span class="scene__name">{scene.name.replace(/\s+\d+×\d+$/, '')}</span>
        <span class="scene__size mono">
          {scene.width} × {scene.height}
        </span>
      </div>
      <div class="scene__actions">
        {done ? (
          <>
            <button type="button" class="button button--small button--soft scene__open" onClick={() => onOpen(scene)} aria-label={`Edit ${scene.name} in the editor`}>
              <svg aria-hidden="true" viewBox="0 0 16 16" width="13" height="13">
                <path d="M10.5 2.5l3 3L6 13H3v-3l7.5-7.5z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />
              </svg>
              Edit
            </button>
            <a class="button button--small button--ghost button--icon" href={scene.editor_iframe} target="_blank" rel="noopener" aria-label={`Open ${scene.name} in the editor in a new tab`} title="Open in the editor in a new tab">
              <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
                <path d="M6 3H3.5A1.5 1.5 0 0 0 2 4.5v8A1.5 1.5 0 0 0 3.5 14h8a1.5 1.5 0 0 0 1.5-1.5V10M9 2h5v5M14 2L7.5 8.5" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" />
              </svg>
            </a>
            <a class="button button--small button--ghost button--icon" href={scene.url} download={`${scene.key}.png`} aria-label={`Download ${scene.name}`} title="Download">
              <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
                <path d="M8 2v8.5m0 0L4.5 7M8 10.5L11.5 7M2.5 11.5v1A1.5 1.5 0 0 0 4 14h8a1.5 1.5 0 0 0 1.5-1.5v-1" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" />
              </svg>
            </a>
          </>
        ) : (
          <span class="scene__status">{failed ? 'Not rendered' : scene.status === 'rendering' ? 'Rendering…' : 'Waiting…'}</span>
        )}
      </div>
    </li>
  );
}
