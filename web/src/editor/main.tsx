/**
 * The Ads Editor at `editor_iframe`: reads the session from its own link,
 * loads the job's template, brand and inputs, and lets the engine draw the
 * scene in the browser exactly as the server does.
 */
import { render } from 'preact';
import { ApiError, EditorApi } from './api.js';
import { readLink, readPanels, readTheme } from './config.js';
import { connectHost, type HostBridge } from './embed.js';
import { loadEngine } from './engine.js';
import { EditorStore } from './store.js';
import { App } from './ui/App.js';
import './editor.css';

const root = document.getElementById('app')!;

function Message({ title, text }: { title: string; text: string }) {
  return (
    <main class="message-page">
      <h1>{title}</h1>
      <p>{text}</p>
    </main>
  );
}

async function start(): Promise<void> {
  for (const [name, value] of Object.entries(readTheme(location.search))) document.documentElement.style.setProperty(name, value);
  const link = readLink(location);
  if (!link) {
    render(<Message title="This editor link is incomplete" text="Open the editor from the link the application gave you (it carries its own signature)." />, root);
    return;
  }
  render(<Message title="Opening the editor…" text="Loading the ad and its fonts." />, root);
  const api = new EditorApi(link);
  let bridge: HostBridge | null = null;
  try {
    const engine = loadEngine(link);
    const session = await api.session();
    let store: EditorStore | null = null;
    bridge = connectHost(window, session.allowed_origins, (cmd) => {
      if (!store) return;
      if (cmd.type === 'adsmith:save') void store.save();
      else if (cmd.type === 'adsmith:undo') store.undo();
      else if (cmd.type === 'adsmith:redo') store.redo();
      else if (cmd.type === 'adsmith:select') {
        if (store.doc.value.scene.elements.some((el) => el.id === cmd.element_id)) store.select([cmd.element_id]);
        else store.fail(new ApiError(0, 'ADS_EDITOR_UNKNOWN_ELEMENT', `This scene has no element "${cmd.element_id}".`));
      }
    });
    const post = bridge.post;
    store = new EditorStore(session, api, (event) => post(event));
    document.title = `${store.scene.name} — editor`;
    const ready = store;
    render(
      <App
        store={ready}
        panels={readPanels(location.search)}
        renderScene={engine}
        onFirstPaint={() => post({ type: 'adsmith:ready', scene: session.scene, width: ready.scene.width, height: ready.scene.height })}
      />,
      root,
    );
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(0, 'EDITOR_START_FAILED', err instanceof Error ? err.message : String(err));
    if (bridge) bridge.post({ type: 'adsmith:error', code: e.code, message: e.message });
    // Without a session the allowed origins are unknown: the host still hears why (a code and a sentence, nothing secret).
    else if (window.parent !== window) window.parent.postMessage({ type: 'adsmith:error', code: e.code, message: e.message }, '*');
    render(<Message title="The editor could not open this ad" text={e.message} />, root);
  }
}

void start();
