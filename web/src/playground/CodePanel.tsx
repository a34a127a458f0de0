import { useRef, useState } from 'preact/hooks';
import { CopyButton } from '../shared/CopyButton.js';

interface Snippet {
  id: string;
  label: string;
  code: string;
}

/** The form's request as curl and as adsmith/client code, in tabs (arrow keys move between them), each ready to copy. */
export function CodePanel({ snippets }: { snippets: Snippet[] }) {
  const [active, setActive] = useState(snippets[0]?.id ?? '');
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = snippets.find((s) => s.id === active) ?? snippets[0];
  if (!current) return null;

  const onKey = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + snippets.length) % snippets.length;
    setActive(snippets[next]!.id);
    tabs.current[next]?.focus();
  };

  return (
    <section class="code" aria-labelledby="code-title">
      <div class="code__bar">
        <h2 id="code-title" class="code__title">
          The same request
        </h2>
        <div class="code__tabs" role="tablist" aria-label="Language">
          {snippets.map((s, i) => (
            <button
              key={s.id}
              ref={(el) => void (tabs.current[i] = el)}
              type="button"
              role="tab"
              id={`tab-${s.id}`}
              class="code__tab"
              aria-selected={s.id === current.id}
              aria-controls={`panel-${s.id}`}
              tabIndex={s.id === current.id ? 0 : -1}
              onClick={() => setActive(s.id)}
              onKeyDown={(e) => onKey(e, i)}
            >
              {s.label}
            </button>
          ))}
        </div>
        <CopyButton text={current.code} label={`Copy ${current.label}`} class="code__copy" />
      </div>
      <pre class="code__pre" id={`panel-${current.id}`} role="tabpanel" aria-labelledby={`tab-${current.id}`} tabIndex={0}>
        <code>{current.code}</code>
      </pre>
      <p class="code__note">
        Set <code>ADSMITH_TOKEN</code> to your token first. Every field is described in the <a href="/docs">API reference</a>.
      </p>
    </section>
  );
}
