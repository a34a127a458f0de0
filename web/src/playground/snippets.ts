import type { GenerateRequest } from './request.js';

/**
 * The form's request as a shell script (curl) and as adsmith/client code. The
 * token is never written into them: they read it from $ADSMITH_TOKEN, so a
 * copied snippet or a screenshot does not leak it.
 */

/** Marks where the uploaded photo's URL goes; replaced after the JSON is escaped for the shell. */
const PHOTO_MARK = '__ADSMITH_PHOTO_URL__';

/** A single-quoted shell word: nothing inside is expanded. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlSnippet(req: GenerateRequest<string>, baseUrl: string, photoName: string | null): string {
  const lines: string[] = [];
  const auth = '-H "api_token: $ADSMITH_TOKEN"';
  const hasPhoto = photoName !== null && JSON.stringify(req).includes(PHOTO_MARK);
  if (hasPhoto) {
    lines.push(
      '# 1. Upload the photo; the answer is {"id", "url", …} (jq picks the url)',
      `PHOTO_URL=$(curl -s ${baseUrl}/v1/files ${auth} \\`,
      `  -F ${shellQuote(`file=@${photoName}`)} | jq -r .url)`,
      '',
      '# 2. Generate every scene',
    );
  }
  const json = JSON.stringify(req, null, 2);
  lines.push(`curl -s ${baseUrl}/v1/ads/generate ${auth} \\`, `  -H 'content-type: application/json' \\`);
  if (hasPhoto) {
    // An unquoted here-document expands $PHOTO_URL; everything else the user typed is escaped so it stays literal.
    const escaped = json.replace(/[\\$`]/g, (c) => `\\${c}`).split(PHOTO_MARK).join('$PHOTO_URL');
    lines.push('  -d @- <<JSON', escaped, 'JSON');
  } else {
    lines.push(`  -d ${shellQuote(json)}`);
  }
  lines.push(
    '',
    '# Each result url answers 202 while it renders, then the image; progress as Server-Sent Events:',
    `# curl -N ${baseUrl}/v1/jobs/<request_id>/events ${auth}`,
  );
  return lines.join('\n');
}

/** The placeholder the curl snippet's request carries for the photo. */
export const CURL_PHOTO = PHOTO_MARK;

/** A TypeScript literal: identifier keys unquoted, single-quoted strings, two-space indent. */
function tsLiteral(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const oneLine = `{ ${entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v, inner)}`).join(', ')} }`;
    if (oneLine.length + indent.length <= 88 && !oneLine.includes('\n')) return oneLine;
    return `{\n${entries.map(([k, v]) => `${inner}${tsKey(k)}: ${tsLiteral(v, inner)},`).join('\n')}\n${indent}}`;
  }
  return String(value);
}

function tsKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`;
}

/** The same request through adsmith/client in Node: a local path is uploaded for you. */
export function clientSnippet(req: GenerateRequest<string>, baseUrl: string): string {
  return [
    "import { writeFile } from 'node:fs/promises';",
    "import { Adsmith } from 'adsmith/client';",
    '',
    `const adsmith = new Adsmith({ apiKey: process.env.ADSMITH_TOKEN!, baseUrl: '${baseUrl}' });`,
    '',
    `const { scenes } = await adsmith.generate(${tsLiteral(req)}, {`,
    '  onProgress: (p) => console.log(`${p.scenes_done}/${p.scenes_total} scenes`),',
    '});',
    'for (const scene of scenes) {',
    '  await writeFile(`${scene.key}.png`, await scene.bytes());',
    '  console.log(scene.name, scene.editor_iframe);',
    '}',
  ].join('\n');
}
