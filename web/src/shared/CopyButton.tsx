import { useEffect, useRef, useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so (also to screen readers); falls back to a selection copy on insecure origins. */
export function CopyButton({ text, label = 'Copy', class: className = '' }: { text: string; label?: string; class?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // navigator.clipboard needs a secure context (http://192.168… is not): copy through a hidden text area instead.
      const area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      ok = document.execCommand('copy');
      area.remove();
    }
    setState(ok ? 'copied' : 'failed');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 1800);
  };

  return (
    <button type="button" class={`as-copy ${className}`} data-state={state} onClick={() => void copy()}>
      <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14">
        {state === 'copied' ? (
          <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
        ) : (
          <g fill="none" stroke="currentColor" stroke-width="1.4">
            <rect x="5" y="5" width="8.5" height="8.5" rx="1.6" />
            <path d="M10.5 3.2V3a1.5 1.5 0 0 0-1.5-1.5H3A1.5 1.5 0 0 0 1.5 3v6A1.5 1.5 0 0 0 3 10.5h.2" />
          </g>
        )}
      </svg>
      <span>{state === 'copied' ? 'Copied' : state === 'failed' ? 'Press Ctrl+C' : label}</span>
      <span class="as-visually-hidden" role="status">
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Could not copy; select the text and press Ctrl+C' : ''}
      </span>
    </button>
  );
}
