import { render } from 'preact';

function App() {
  return <main>ImageNet3D Annotator</main>;
}

render(<App />, document.getElementById('app')!);
