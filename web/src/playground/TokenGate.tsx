import { useState } from 'preact/hooks';
import { connect, tokenProblem } from './session.js';

/** First run (or a refused token): asks for the API token `npm start` printed and checks it before keeping it. */
export function TokenGate() {
  const [value, setValue] = useState('');
  const [shown, setShown] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const notice = tokenProblem.value;

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(await connect(value));
    setBusy(false);
  };

  return (
    <main class="gate" id="main">
      <form class="gate__card" onSubmit={(e) => void submit(e)} aria-describedby="gate-help">
        <h1 class="gate__title">Connect to your Adsmith server</h1>
        <p class="gate__lead">The playground calls this server's API with your organisation's API token. It stays in this browser only.</p>
        {notice && (
          <p class="notice notice--warn" role="alert">
            {notice}
          </p>
        )}
        <label class="field__label" for="token">
          API token
        </label>
        <div class="gate__row">
          <input
            id="token"
            name="token"
            class="input input--mono"
            // Preact types text and password inputs as different element kinds; at run time this is one input switching type.
            type={(shown ? 'text' : 'password') as 'text'}
            autocomplete="off"
            spellcheck={false}
            required
            value={value}
            placeholder="Paste the token"
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'token-problem' : 'gate-help'}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          />
          <button type="button" class="button button--ghost" aria-pressed={shown} onClick={() => setShown(!shown)}>
            {shown ? 'Hide' : 'Show'}
          </button>
        </div>
        {problem && (
          <p class="field__error" id="token-problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" class="button button--primary button--wide" disabled={busy}>
          {busy ? 'Checking…' : 'Connect'}
        </button>
        <div class="gate__help" id="gate-help">
          <h2>Where is my token?</h2>
          <ol>
            <li>
              The first <code>npm start</code> prints it once, under <q>Created the default organisation… Its API token (shown once, keep it)</q>.
            </li>
            <li>
              If you set <code>ADSMITH_API_TOKEN</code> when starting the server, that value is the token.
            </li>
            <li>
              Lost it? Make another: <code>npx adsmith token create --org default</code>.
            </li>
          </ol>
          <p>
            New here? Read the <a href="/docs">API reference</a>.
          </p>
        </div>
      </form>
    </main>
  );
}
