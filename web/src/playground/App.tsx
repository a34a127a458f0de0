import { Header } from './Header.js';
import { token } from './session.js';
import { TokenGate } from './TokenGate.js';
import { Workspace } from './Workspace.js';

export function App() {
  return (
    <>
      <Header />
      {token.value ? <Workspace /> : <TokenGate />}
      <footer class="footer">
        <p>
          Adsmith — self-hosted ads generation. <a href="/docs">API reference</a> · <a href="/openapi.json">OpenAPI document</a> · <a href="/healthz">Health</a>
        </p>
      </footer>
    </>
  );
}
