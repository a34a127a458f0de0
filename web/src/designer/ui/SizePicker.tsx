/** A preset size (IAB, social) or a custom width and height, checked against the schema's limits. */
import { useState } from 'preact/hooks';
import { checkCustomSize, PRESETS } from '../model/presets.js';

let pickers = 0;

export function SizePicker({ label, submit, onPick, onCancel }: { label: string; submit: string; onPick: (w: number, h: number) => void; onCancel?: () => void }) {
  const [id] = useState(() => `size-${++pickers}`);
  const [choice, setChoice] = useState('1080x1080');
  const [w, setW] = useState('1080');
  const [h, setH] = useState('1080');
  const [problem, setProblem] = useState<string | null>(null);
  const go = (e: Event) => {
    e.preventDefault();
    const [pw, ph] = choice === 'custom' ? [Number(w), Number(h)] : choice.split('x').map(Number);
    const bad = checkCustomSize(pw!, ph!);
    setProblem(bad);
    if (!bad) onPick(pw!, ph!);
  };
  return (
    <form class="d-size" onSubmit={go} aria-label={label}>
      <label for={`${id}-preset`} class="visually-hidden">
        Size
      </label>
      <select id={`${id}-preset`} value={choice} onChange={(e) => setChoice((e.currentTarget as HTMLSelectElement).value)}>
        {(['IAB', 'Social'] as const).map((group) => (
          <optgroup key={group} label={group}>
            {PRESETS.filter((p) => p.group === group).map((p) => (
              <option key={p.name} value={`${p.width}x${p.height}`}>
                {p.width}×{p.height} {p.name}
              </option>
            ))}
          </optgroup>
        ))}
        <option value="custom">Custom size…</option>
      </select>
      {choice === 'custom' && (
        <>
          <label for={`${id}-w`}>W</label>
          <input id={`${id}-w`} class="d-num" type="number" min="16" max="8192" value={w} onInput={(e) => setW((e.currentTarget as HTMLInputElement).value)} />
          <label for={`${id}-h`}>H</label>
          <input id={`${id}-h`} class="d-num" type="number" min="16" max="8192" value={h} onInput={(e) => setH((e.currentTarget as HTMLInputElement).value)} />
        </>
      )}
      <button type="submit" class="btn primary">
        {submit}
      </button>
      {onCancel && (
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      )}
      {problem && (
        <span class="d-bad" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
