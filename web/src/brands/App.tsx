import { useEffect } from 'preact/hooks';
import { Header } from '../playground/Header.js';
import { token } from '../playground/session.js';
import { TokenGate } from '../playground/TokenGate.js';
import { BrandsWorkspace } from './BrandsWorkspace.js';
import { guardLeaving } from './store.js';

/** The brand kit editor at /brands: the playground's token, header and prompt, then the organisation's brands. */
export function App() {
  useEffect(() => guardLeaving(), []);
  return (
    <>
      <Header tag="Brand kits" skipTo="the brand kits" />
      {token.value ? <BrandsWorkspace /> : <TokenGate />}
      <footer class="footer">
        <p>
          Adsmith — brand kits. <a href="/">Playground</a> · <a href="/docs">API reference</a> · <a href="/v1/schemas/brand.json">Brand schema</a>
        </p>
      </footer>
    </>
  );
}
