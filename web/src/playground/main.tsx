import { render } from 'preact';

function Playground() {
  return <main><h1>Adsmith</h1><p>Loading the playground…</p></main>;
}

render(<Playground />, document.getElementById('app')!);
