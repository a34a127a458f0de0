/**
 * The routes the browser host of the engine loads from (src/server/engine/routes.ts) in the server's
 * OpenAPI document (/openapi.json, /docs). Fonts are public; images of bundled `asset:` sources are
 * public, any other source takes an API token or the editor's session header.
 */
export function engineOpenApiPaths(auth: object[]): Record<string, Record<string, unknown>> {
  const err = { description: 'Error {error: {code, message}} (422: a JSON string)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const query = (name: string, description: string, schema: object = { type: 'string' }) => ({ in: 'query', name, required: true, schema, description });
  const side = (name: 'w' | 'h') => query(name, `Device pixels the image is drawn ${name === 'w' ? 'wide' : 'high'} (an SVG is rasterized to fit w×h; a raster is sent whole)`, { type: 'integer', minimum: 1, maximum: 8192 });
  const editor = { in: 'header', name: 'x-adsmith-editor', required: false, schema: { type: 'string' }, description: 'Instead of a token: the editor session (<job>.<scene>.<exp>.<sig> from editor_iframe).' };
  const src = query('src', 'The source as a document names it: asset:… (public), an uploaded file URL, https://…, data:…');
  return {
    '/engine/fonts': {
      get: {
        summary: 'The fonts Adsmith ships, for the browser engine: {families: [{family, aliases: [{alias, unicodeRange, faces: [{weight, style, file}]}]}]}; each alias is registered under its own name (one per Unicode subset), unicodeRange lists the characters its files have, file is the URL path of the font file.',
        responses: { 200: { description: 'The list', content: { 'application/json': { schema: { type: 'object' } } } } },
      },
    },
    '/engine/fonts/{version}/{file}': {
      get: {
        summary: 'A shipped font file (WOFF2 or TTF), cached for a year (the path carries its package version).',
        parameters: [{ in: 'path', name: 'version', required: true, schema: { type: 'string' } }, { in: 'path', name: 'file', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'The font file' }, 404: err },
      },
    },
    '/engine/images': {
      get: {
        summary: "An image as the server's renderer decodes it, as lossless PNG: rasters by sharp (EXIF orientation, at most 4096 px a side), SVGs rasterized by resvg to fit w×h. Header x-adsmith-image-kind: raster or vector. asset: sources need no token; an uploaded file is served to its own organisation only.",
        parameters: [src, side('w'), side('h'), ...auth, editor],
        responses: { 200: { description: 'PNG' }, 400: err, 401: err, 403: err, 422: err },
      },
    },
    '/engine/font-sources': {
      get: {
        summary: "The bytes of a brand's own font file (TTF, OTF, WOFF, WOFF2 only).",
        parameters: [src, ...auth, editor],
        responses: { 200: { description: 'The font file' }, 400: err, 401: err, 403: err },
      },
    },
    '/engine/font-info': {
      get: {
        summary: "What a brand's font file is and which scripts it sets: {family, subfamily, weight, style, format, glyphs, characters, scripts: [{script, covered, total, status: full|partial|none}]}, read from its name, OS/2 and cmap tables (WOFF and WOFF2 decompressed).",
        parameters: [src, ...auth, editor],
        responses: { 200: { description: 'The font file' }, 400: err, 401: err, 403: err },
      },
    },
  };
}
