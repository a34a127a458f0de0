/**
 * What the editor reads from its own URL: the session (job, scene, expiry,
 * signature of the editor_iframe link), the panels to show and the theme.
 */

export interface EditorLink {
  job: string;
  /** 1-based, as in the URL. */
  scene: number;
  exp: string;
  sig: string;
}

/** Parses `/editor/:job/:scene?exp=…&sig=…`; null when the page was opened some other way. */
export function readLink(loc: { pathname: string; search: string }): EditorLink | null {
  const m = /\/editor\/([^/]+)\/(\d+)\/?$/.exec(loc.pathname);
  const q = new URLSearchParams(loc.search);
  const exp = q.get('exp');
  const sig = q.get('sig');
  if (!m || !exp || !sig) return null;
  return { job: decodeURIComponent(m[1]!), scene: Number(m[2]), exp, sig };
}

/** The session credential every API call carries (no API token ever reaches the iframe). */
export function sessionHeader(link: EditorLink): string {
  return `${link.job}.${link.scene}.${link.exp}.${link.sig}`;
}

export const PANELS = ['toolbar', 'layers', 'properties'] as const;
export type Panel = (typeof PANELS)[number];

/**
 * Panels to show: `?panels=layers,properties` lists the ones wanted,
 * `?hide=layers` removes some; unknown names are ignored.
 */
export function readPanels(search: string): Set<Panel> {
  const q = new URLSearchParams(search);
  const list = (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter((s): s is Panel => (PANELS as readonly string[]).includes(s));
  const shown = new Set<Panel>(q.has('panels') ? list(q.get('panels')) : PANELS);
  for (const p of list(q.get('hide'))) shown.delete(p);
  return shown;
}

/** Query parameters that set theme variables; values must be colours (or a px radius), so a link cannot inject CSS. */
const THEME_PARAMS: Record<string, { variable: string; kind: 'color' | 'length' | 'font' }> = {
  accent: { variable: '--adsmith-accent', kind: 'color' },
  bg: { variable: '--adsmith-bg', kind: 'color' },
  panel: { variable: '--adsmith-panel', kind: 'color' },
  text: { variable: '--adsmith-text', kind: 'color' },
  muted: { variable: '--adsmith-muted', kind: 'color' },
  border: { variable: '--adsmith-border', kind: 'color' },
  canvas: { variable: '--adsmith-canvas-bg', kind: 'color' },
  radius: { variable: '--adsmith-radius', kind: 'length' },
  font: { variable: '--adsmith-font', kind: 'font' },
};

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Theme variables from the query (`?accent=%23ff0066&radius=4`): name → CSS value, only the valid ones. */
export function readTheme(search: string): Record<string, string> {
  const q = new URLSearchParams(search);
  const out: Record<string, string> = {};
  for (const [param, { variable, kind }] of Object.entries(THEME_PARAMS)) {
    const v = q.get(param);
    if (v === null) continue;
    if (kind === 'color' && HEX.test(v)) out[variable] = v;
    else if (kind === 'length' && /^\d{1,2}(?:\.\d+)?$/.test(v)) out[variable] = `${v}px`;
    else if (kind === 'font' && /^[A-Za-z0-9 ,'-]{1,80}$/.test(v)) out[variable] = v;
  }
  return out;
}
