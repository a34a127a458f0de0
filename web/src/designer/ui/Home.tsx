/**
 * Where the designer starts: the organisation's templates to open, a new
 * template of a preset or custom size, or a private copy of a public template.
 */
import { useState } from 'preact/hooks';
import type { TemplateSummary } from '../../playground/api.js';
import { SizePicker } from './SizePicker.js';

export function Home({
  templates,
  onOpen,
  onNew,
  onDuplicate,
  problem,
}: {
  templates: TemplateSummary[];
  onOpen: (id: number) => void;
  onNew: (name: string, width: number, height: number) => void;
  onDuplicate: (id: number) => void;
  problem: string | null;
}) {
  const [name, setName] = useState('New template');
  const own = templates.filter((t) => !t.public);
  const pub = templates.filter((t) => t.public);
  return (
    <main class="d-home" id="main">
      <nav class="d-home__nav" aria-label="Main">
        <a href="/">Playground</a> · <a href="/brands">Brand kits</a> · <a href="/docs">API docs</a>
      </nav>
      <h1>Template designer</h1>
      {problem && (
        <p class="notice d-bad" role="alert">
          {problem}
        </p>
      )}
      <section aria-labelledby="new-title" class="d-card">
        <h2 id="new-title">New template</h2>
        <div class="field">
          <label for="new-name">Name</label>
          <input id="new-name" class="d-input" value={name} maxLength={200} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <SizePicker label="Start size" submit="Create" onPick={(w, h) => onNew(name.trim() || 'New template', w, h)} />
      </section>
      <section aria-labelledby="own-title" class="d-card">
        <h2 id="own-title">Your templates</h2>
        {own.length === 0 ? (
          <p class="hint">None yet: create one, or start from a public template below.</p>
        ) : (
          <ul class="d-list">
            {own.map((t) => (
              <li key={t.id}>
                <span>
                  {t.name} <span class="muted small">#{t.id}</span>
                </span>
                <button type="button" class="btn" onClick={() => onOpen(t.id)}>
                  Open
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="pub-title" class="d-card">
        <h2 id="pub-title">Start from a public template</h2>
        <ul class="d-list">
          {pub.map((t) => (
            <li key={t.id}>
              <span>
                {t.name} <span class="muted small">#{t.id}</span>
              </span>
              <button type="button" class="btn" onClick={() => onDuplicate(t.id)}>
                Duplicate as private
              </button>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
