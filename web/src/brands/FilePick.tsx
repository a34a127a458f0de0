import { useState } from 'preact/hooks';
import { acceptFor, type PickKind } from './draft.js';
import { upload } from './store.js';

/**
 * A button that uploads one picked file for the draft and hands its URL on; a refused file shows the
 * message naming it and the rule under the button (and nothing in the brand changes).
 */
export function FilePick({ kind, label, onUploaded, id }: { kind: PickKind; label: string; id: string; onUploaded: (url: string, file: File) => void | Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const pick = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      await onUploaded(await upload(file, kind), file);
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="pick">
      <label class={`button button--small button--soft pick__button${busy ? ' pick__button--busy' : ''}`} for={id}>
        {busy ? 'Uploading…' : label}
      </label>
      <input id={id} class="as-visually-hidden" type="file" accept={acceptFor(kind)} disabled={busy} onChange={(e) => void pick(e.target as HTMLInputElement)} aria-describedby={problem ? `${id}-problem` : undefined} />
      {problem && (
        <p class="field__error pick__problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
