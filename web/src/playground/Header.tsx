import { useRef } from 'preact/hooks';
import { disconnect, token } from './session.js';

/** Shows the end of the token only: enough to tell two apart, nothing to copy. */
function masked(t: string): string {
  return `••••${t.slice(-4)}`;
}

/** The top bar of Adsmith's pages; `tag` names the page (the brand kit editor reuses it). */
export function Header({ tag = 'Playground', skipTo = 'the playground' }: { tag?: string; skipTo?: string } = {}) {
  const menu = useRef<HTMLDetailsElement>(null);
  const t = token.value;
  return (
    <header class="topbar">
      <a class="skip-link" href="#main">
        Skip to {skipTo}
      </a>
      <div class="topbar__inner">
        <a class="wordmark" href="/">
          <svg aria-hidden="true" viewBox="0 0 28 28" width="28" height="28">
            <rect x="1" y="1" width="26" height="26" rx="7" fill="var(--accent)" />
            <rect x="6.5" y="7" width="9" height="14" rx="2" fill="#fff" />
            <rect x="17.5" y="7" width="4.5" height="6" rx="1.5" fill="#fff" opacity=".75" />
            <rect x="17.5" y="15" width="4.5" height="6" rx="1.5" fill="#fff" opacity=".5" />
          </svg>
          <span>Adsmith</span>
          <span class="wordmark__tag">{tag}</span>
        </a>
        <nav class="topbar__nav" aria-label="Main">
          {tag !== 'Playground' && <a href="/">Playground</a>}
          <a href="/designer">Designer</a>
          {tag !== 'Brand kits' && <a href="/brands">Brand kits</a>}
          <a href="/docs">API docs</a>
          <a href="/openapi.json">OpenAPI</a>
          {t && (
            <details class="menu" ref={menu}>
              <summary class="menu__button">
                <span class="menu__dot" aria-hidden="true" />
                Token <span class="mono">{masked(t)}</span>
              </summary>
              <div class="menu__panel">
                <p class="menu__note">Kept in this browser's local storage. The server only stores its hash.</p>
                <button type="button" class="button button--ghost button--wide" onClick={() => disconnect(null)}>
                  Change token
                </button>
                <button type="button" class="button button--danger button--wide" onClick={() => disconnect('Token forgotten: this browser no longer stores it.')}>
                  Forget token
                </button>
              </div>
            </details>
          )}
        </nav>
      </div>
    </header>
  );
}
