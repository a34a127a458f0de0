/** The text-fit table of every scene: size set, lines, and whether the engine shrank or shortened each text. */
import type { DiagnosticsRunner } from '../diagnostics.js';
import { fitVerdict } from '../model/diagnostics.js';
import type { DesignerStore } from '../store.js';

export function Diagnostics({ store, runner }: { store: DesignerStore; runner: DiagnosticsRunner }) {
  const fits = runner.fits.value;
  const sizes = store.sceneSizes.value;
  const problems = fits.flat().filter((f) => f.shortened || f.belowMinimum).length;
  return (
    <section class="d-diagnostics" aria-labelledby="diag-title">
      <h2 id="diag-title" class="panel-title">
        Text fit, every scene {problems > 0 ? <span class="d-bad">· {problems} not fitting</span> : fits.length > 0 ? <span class="d-good">· all fit</span> : null}
      </h2>
      {runner.error.value && <p class="notice">{runner.error.value}</p>}
      <table class="d-table">
        <thead>
          <tr>
            <th scope="col">Scene</th>
            <th scope="col">Text</th>
            <th scope="col">Size px</th>
            <th scope="col">Lines</th>
            <th scope="col">Fit</th>
          </tr>
        </thead>
        <tbody>
          {fits.flatMap((scene, i) =>
            scene.map((f) => {
              const verdict = fitVerdict(f);
              return (
                <tr key={`${i}-${f.id}`} class={`d-fit d-fit--${verdict.replace(' ', '-')}`} data-scene={i} data-id={f.id} data-verdict={verdict}>
                  <td>
                    <button type="button" class="link-btn" onClick={() => (store.showScene(i), store.select([f.id]))}>
                      {sizes[i] ? `${sizes[i]!.width}×${sizes[i]!.height}` : i + 1}
                    </button>
                  </td>
                  <td title={f.label}>{f.label}</td>
                  <td title={`Set at ${f.size}px; may go from ${f.minSize} to ${f.maxSize}px`}>
                    {f.size} ({f.minSize}–{f.maxSize})
                  </td>
                  <td>
                    {f.lines}
                    {f.maxLines ? ` / ${f.maxLines}` : ''}
                  </td>
                  <td>{verdict}</td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </section>
  );
}
