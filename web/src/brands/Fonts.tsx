import { useEffect, useState } from 'preact/hooks';
import type { FontFile } from '../../../src/engine/model/brand.js';
import { ownFamilies, roleFontNote } from './draft.js';
import { FilePick } from './FilePick.js';
import { bundledFamilies, fontInfo, previewFace, type FontInfo } from './previews.js';
import { draft, edit } from './store.js';

const WEIGHTS = [100, 200, 300, 400, 500, 600, 700, 800, 900];
const SAMPLE = 'Sphinx of black quartz, judge my vow — 0123456789';

/** The heading and body roles (a shipped family or one of the brand's own) and the brand's font files. */
export function Fonts() {
  const fonts = draft.value!.fonts;
  const [bundled, setBundled] = useState<string[] | null>(null);
  useEffect(() => {
    bundledFamilies().then(setBundled, () => setBundled(null));
  }, []);
  const own = ownFamilies(draft.value!);
  const families = [...own, ...(bundled ?? []).filter((f) => !own.includes(f))];
  const files = fonts.files ?? [];
  const addFile = async (url: string, file: File) => {
    let info: FontInfo | null = null;
    try {
      info = await fontInfo(url);
    } catch {
      // The upload passed the server's font check; without its names the file name stands in.
    }
    const entry: FontFile = { family: info?.family ?? file.name.replace(/\.[^.]+$/, ''), weight: info?.weight ?? 400, style: info?.style ?? 'normal', src: url };
    edit((d) => void (d.fonts.files = [...(d.fonts.files ?? []), entry]));
  };
  return (
    <fieldset class="section">
      <legend class="section__title">Fonts</legend>
      <div class="font-roles">
        {(['heading', 'body'] as const).map((role) => (
          <div key={role} class="font-role">
            <label class="field__label" for={`font-${role}`}>
              {role === 'heading' ? 'Heading font' : 'Body font'}
            </label>
            <div class="font-role__row">
              <select id={`font-${role}`} class="input" value={fonts[role].family} onChange={(e) => edit((d) => void (d.fonts[role].family = (e.target as HTMLSelectElement).value))}>
                {!families.includes(fonts[role].family) && <option value={fonts[role].family}>{fonts[role].family}</option>}
                {own.length > 0 && (
                  <optgroup label="This brand's fonts">
                    {own.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </optgroup>
                )}
                <optgroup label="Shipped with Adsmith">
                  {families
                    .filter((f) => !own.includes(f))
                    .map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                </optgroup>
              </select>
              <select
                class="input input--short"
                aria-label={`${role} weight`}
                value={String(fonts[role].weight ?? 400)}
                onChange={(e) => edit((d) => void (d.fonts[role].weight = Number((e.target as HTMLSelectElement).value)))}
              >
                {WEIGHTS.map((w) => (
                  <option key={w} value={w}>
                    {w}
                  </option>
                ))}
              </select>
            </div>
            {roleFontNote(draft.value!, role, bundled) && (
              <p class="font-role__note" data-testid={`font-${role}-note`}>
                {roleFontNote(draft.value!, role, bundled)}
              </p>
            )}
          </div>
        ))}
      </div>
      <h3 class="section__subtitle">This brand's font files</h3>
      <p class="section__hint">TTF, OTF, WOFF or WOFF2. Each file is one family at one weight and style; give the files of one family the same family name.</p>
      {files.length === 0 && <p class="empty">None: the roles above use fonts shipped with Adsmith.</p>}
      <ul class="font-files">
        {files.map((f, i) => (
          <FontFileRow key={`${f.src}|${i}`} file={f} index={i} />
        ))}
      </ul>
      <FilePick kind="font" id="font-upload" label="Upload a font file" onUploaded={addFile} />
    </fieldset>
  );
}

function FontFileRow({ file, index }: { file: FontFile; index: number }) {
  const style = file.style ?? 'normal';
  const [face, setFace] = useState<string | null>(null);
  const [info, setInfo] = useState<FontInfo | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setFace(null);
    previewFace(file.src, file.weight, style).then(
      (f) => live && setFace(f),
      (err: unknown) => live && setProblem(`The browser could not load this font: ${(err as Error).message}`),
    );
    fontInfo(file.src).then(
      (i) => live && setInfo(i),
      (err: unknown) => live && setProblem(`Its scripts could not be read: ${(err as Error).message}`),
    );
    return () => {
      live = false;
    };
  }, [file.src, file.weight, style]);
  const set = (change: (f: FontFile) => void) => edit((d) => change(d.fonts.files![index]!));
  const id = `font-file-${index}`;
  return (
    <li class="font-file" data-testid="font-file">
      <div class="font-file__fields">
        <label class="field__label" for={`${id}-family`}>
          Family
        </label>
        <input id={`${id}-family`} class="input" required maxLength={120} value={file.family} onInput={(e) => set((f) => void (f.family = (e.target as HTMLInputElement).value))} />
        <select class="input input--short" aria-label="Weight" value={String(file.weight)} onChange={(e) => set((f) => void (f.weight = Number((e.target as HTMLSelectElement).value)))}>
          {WEIGHTS.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
        <select class="input input--short" aria-label="Style" value={style} onChange={(e) => set((f) => void (f.style = (e.target as HTMLSelectElement).value as 'normal' | 'italic'))}>
          <option value="normal">normal</option>
          <option value="italic">italic</option>
        </select>
        <button type="button" class="button button--small button--ghost" onClick={() => edit((d) => void d.fonts.files!.splice(index, 1))}>
          Remove
        </button>
      </div>
      <p class="font-file__sample" data-state={face ? 'loaded' : 'loading'} style={face ? { fontFamily: `"${face}", monospace`, fontWeight: file.weight, fontStyle: style } : undefined}>
        {SAMPLE}
      </p>
      {info && (
        <p class="font-file__meta">
          {info.family} {info.subfamily} · {info.format} · {info.glyphs} glyphs · {info.characters} characters
        </p>
      )}
      {info && (
        <ul class="scripts" aria-label="Scripts this font sets" data-testid="scripts">
          {info.scripts
            .filter((s) => s.status !== 'none')
            .map((s) => (
              <li key={s.script} class={`script script--${s.status}`} title={`${s.covered} of ${s.total} basic letters`}>
                {s.script}
                {s.status === 'partial' ? ` (${s.covered}/${s.total})` : ''}
              </li>
            ))}
          {info.scripts.every((s) => s.status === 'none') && <li class="script script--none">No script's basic letters</li>}
        </ul>
      )}
      {problem && <p class="field__error" role="alert">{problem}</p>}
    </li>
  );
}
