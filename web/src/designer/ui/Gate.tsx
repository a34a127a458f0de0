/** Asks for the API token when the browser has none (the same token, stored the same way, as the playground's). */
import { useState } from 'preact/hooks';
import { connect, tokenProblem } from '../../playground/session.js';

export function Gate() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main class="d-home" id="main">
      <form
        class="d-card"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void connect(value).then((p) => {
            setProblem(p);
            setBusy(false);
          });
        }}
      >
        <h1>Template designer</h1>
        <p class="hint">The designer works on your organisation's templates with its API token (the one the playground uses; it stays in this browser).</p>
        {tokenProblem.value && <p class="notice">{tokenProblem.value}</p>}
        <div class="field">
          <label for="token">API token</label>
          <input id="token" class="d-input" type="password" autocomplete="off" required value={value} onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)} />
        </div>
        {problem && (
          <p id="token-problem" class="d-bad" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="btn primary" disabled={busy}>
          Connect
        </button>
      </form>
    </main>
  );
}
