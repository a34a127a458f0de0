import { BRAND_COLOR_ROLES, type BrandColorRole } from '../../../src/engine/model/refs.js';
import { AA_TEXT, brandContrast, formatRatio, parseHex, toHex6 } from './contrast.js';
import { draft, edit } from './store.js';

const ROLE_HINTS: Record<BrandColorRole, string> = {
  primary: 'Buttons, bands, the brand’s main colour',
  secondary: 'Second surfaces and shapes',
  accent: 'Highlights and badges',
  text: 'Headlines and body copy',
  background: 'The ad’s ground',
};

/** The five colour roles (colour picker and hex), with the WCAG contrast of text on background and on primary. */
export function Palette() {
  const colors = draft.value!.colors;
  const checks = brandContrast(colors);
  return (
    <fieldset class="section">
      <legend class="section__title">Palette</legend>
      <div class="palette">
        {BRAND_COLOR_ROLES.map((role) => (
          <ColorRole key={role} role={role} value={colors[role]} />
        ))}
      </div>
      <div class="contrast" aria-live="polite">
        {checks.map((c) => (
          <div key={c.label} class={`contrast__item${c.warn ? ' contrast__item--warn' : ''}`} data-testid="contrast">
            {/* A picture of the pair, not page text: it shows the brand's colours however weak their contrast. */}
            <svg class="contrast__sample" viewBox="0 0 48 40" width="48" height="40" aria-hidden="true">
              <rect width="48" height="40" fill={c.bg} />
              <text x="24" y="27" text-anchor="middle" fill={c.fg} font-size="18" font-weight="600">
                Aa
              </text>
            </svg>
            <span class="contrast__text">
              <strong>{c.label}</strong>: <span class="mono">{formatRatio(c.ratio)}</span>{' '}
              {c.warn ? (
                <span class="contrast__verdict" role="alert">
                  below {AA_TEXT}:1 (WCAG AA for body text){c.largeOk ? '; large headlines only (3:1)' : ''}
                </span>
              ) : (
                <span class="contrast__verdict">passes WCAG AA</span>
              )}
            </span>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function ColorRole({ role, value }: { role: BrandColorRole; value: string }) {
  const parsed = parseHex(value);
  const set = (v: string) => edit((d) => void (d.colors[role] = v));
  const id = `color-${role}`;
  return (
    <div class="color-role">
      <label class="field__label" for={id}>
        {role[0]!.toUpperCase() + role.slice(1)}
      </label>
      <div class="color-role__row">
        <input type="color" class="color-role__picker" aria-label={`${role} colour picker`} value={parsed ? toHex6(parsed) : '#000000'} onInput={(e) => set((e.target as HTMLInputElement).value.toUpperCase())} />
        <input
          id={id}
          class="input input--mono color-role__hex"
          value={value}
          spellcheck={false}
          pattern="#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})"
          aria-invalid={parsed ? undefined : 'true'}
          onInput={(e) => set((e.target as HTMLInputElement).value.trim())}
        />
      </div>
      <span class="color-role__hint">{parsed ? ROLE_HINTS[role] : 'A hex colour: #RGB, #RRGGBB or #RRGGBBAA'}</span>
    </div>
  );
}
