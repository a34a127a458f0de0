import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The front end (playground, editor) is built into dist/web and served by the API
// server under /ui/; pages are HTML entries so each loads only its own code.
export default defineConfig({
  root: here('.'),
  base: '/ui/',
  publicDir: false,
  logLevel: 'warn',
  // Preact's automatic JSX runtime (Vite 8 transforms with oxc).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Nothing is fetched at run time from elsewhere: every asset is in the bundle or served by Adsmith.
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        playground: here('index.html'),
        editor: here('editor.html'),
        designer: here('designer.html'),
        brands: here('brands.html'),
      },
    },
  },
});
