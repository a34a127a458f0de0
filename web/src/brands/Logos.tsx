import { useEffect, useState } from 'preact/hooks';
import { LOGO_ROLES, type LogoRole, type LogoVariant } from './draft.js';
import { FilePick } from './FilePick.js';
import { logoPreview } from './previews.js';
import { draft, edit } from './store.js';

const VARIANTS: ReadonlyArray<{ variant: LogoVariant; label: string; hint: string }> = [
  { variant: 'on_light', label: 'For light grounds', hint: 'dark ink' },
  { variant: 'on_dark', label: 'For dark grounds', hint: 'light ink' },
];
/** The two grounds every variant is shown on, so a logo that vanishes on one is seen at once. */
const GROUNDS = [
  { name: 'light', color: '#ffffff' },
  { name: 'dark', color: '#14151a' },
] as const;

/** Each logo role's light and dark variants (SVG or PNG), each previewed on a light and a dark ground. */
export function Logos() {
  const logos = draft.value!.logos;
  return (
    <fieldset class="section">
      <legend class="section__title">Logos</legend>
      <p class="section__hint">SVG or PNG. Templates draw the variant for light grounds over light colours and the one for dark grounds over dark ones.</p>
      {LOGO_ROLES.map(({ role, label, optional }) => {
        const variants = logos[role];
        if (!variants)
          return (
            <div key={role} class="logo-role logo-role--absent">
              <h3 class="logo-role__title">{label}</h3>
              <button type="button" class="button button--small button--ghost" onClick={() => edit((d) => void (d.logos.secondary = { ...d.logos.primary }))} aria-describedby="secondary-hint">
                Add a secondary logo
              </button>{' '}
              <span class="muted" id="secondary-hint">
                It starts as a copy of the primary logo.
              </span>
            </div>
          );
        return (
          <div key={role} class="logo-role">
            <h3 class="logo-role__title">
              {label}
              {optional && (
                <button type="button" class="button button--small button--ghost logo-role__remove" onClick={() => edit((d) => void delete d.logos.secondary)}>
                  Remove
                </button>
              )}
            </h3>
            <div class="logo-variants">
              {VARIANTS.map(({ variant, label: vLabel, hint }) => (
                <div key={variant} class="logo-variant" data-testid={`logo-${role}-${variant}`}>
                  <div class="logo-variant__head">
                    <span>
                      {vLabel} <span class="muted">({hint})</span>
                    </span>
                    <FilePick kind="logo" id={`logo-${role}-${variant}`} label="Upload SVG or PNG" onUploaded={(url) => edit((d) => void (d.logos[role as LogoRole]![variant] = url))} />
                  </div>
                  <div class="logo-variant__grounds">
                    {GROUNDS.map((g) => (
                      <LogoOnGround key={g.name} src={variants[variant]} ground={g.color} groundName={g.name} alt={`${label} ${vLabel.toLowerCase()} on a ${g.name} ground`} />
                    ))}
                  </div>
                  <p class="logo-variant__src mono" title={variants[variant]}>
                    {shortSource(variants[variant])}
                  </p>
                </div>
              ))}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}

function LogoOnGround({ src, ground, groundName, alt }: { src: string; ground: string; groundName: string; alt: string }) {
  const [state, setState] = useState<{ url: string | null; failed: string | null }>({ url: null, failed: null });
  useEffect(() => {
    let live = true;
    setState({ url: null, failed: null });
    logoPreview(src, 360, 150).then(
      (url) => live && setState({ url, failed: null }),
      (err: unknown) => live && setState({ url: null, failed: (err as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [src]);
  return (
    <div class={`ground ground--${groundName}`} style={{ background: ground }} data-state={state.url ? 'drawn' : state.failed ? 'failed' : 'drawing'}>
      {state.url ? <img src={state.url} alt={alt} /> : state.failed ? <span class="ground__failed">{state.failed}</span> : null}
    </div>
  );
}

/** A source as a reader can tell it apart: a bundled asset's path, an uploaded file's id. */
function shortSource(src: string): string {
  if (src.startsWith('asset:')) return src;
  const file = /\/v1\/files\/([A-Za-z0-9_-]+)/.exec(src);
  if (file) return `uploaded file ${file[1]!.slice(0, 10)}…`;
  return src.length > 60 ? `${src.slice(0, 57)}…` : src;
}
