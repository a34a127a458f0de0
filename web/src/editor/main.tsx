import { render } from 'preact';

function Editor() {
  return <main><p>Loading the editor…</p></main>;
}

render(<Editor />, document.getElementById('app')!);
