import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/**
 * Bundles web/src/engine-host/harness.ts (the browser host of the engine and a few helpers) into one ES module,
 * in memory, for tests and benchmarks to load into Chromium. Test-only: the shipped front end never includes it.
 */
export async function buildEnginePage(): Promise<string> {
  const result = await build({
    configFile: false,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    logLevel: 'error',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: fileURLToPath(new URL('../../web/src/engine-host/harness.ts', import.meta.url)), formats: ['es'], fileName: 'engine-page' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: Array<{ type: string; code?: string }> }>;
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk');
  if (!chunk?.code) throw new Error('Vite produced no bundle for the engine test page');
  return chunk.code;
}

/** The HTML the page is served as: the bundle inline, installed with the caller's token. */
export function enginePageHtml(bundle: string, token: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>engine test page</title></head><body>
<script type="module">${bundle.replace(/<\/script/gi, '<\\/script')}
install(${JSON.stringify({ token })});
window.fidelityReady = true;
</script></body></html>`;
}
