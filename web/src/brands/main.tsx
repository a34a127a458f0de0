import { render } from 'preact';
// Inter from the npm package, bundled: nothing is fetched from a CDN.
import '@fontsource/inter/latin-400.css';
import '@fontsource/inter/latin-500.css';
import '@fontsource/inter/latin-600.css';
import '@fontsource/inter/latin-700.css';
import '../shared/shared.css';
import '../playground/playground.css';
import './brands.css';
import { App } from './App.js';

render(<App />, document.getElementById('app')!);
