import { ApplyBodySchema, SaveBodySchema } from './revisions.js';

/**
 * The editor API in the server's OpenAPI document (/openapi.json, /docs). Its credential is the editor link's
 * session header, not an API token: the host app never hands its token to the iframe.
 */
export function editorOpenApiPaths(): Record<string, Record<string, unknown>> {
  const session = {
    in: 'header',
    name: 'x-adsmith-editor',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[0-9]+\\.[0-9]+\\.[0-9a-f]{64}$' },
    description: '<job>.<scene>.<exp>.<sig> from the editor_iframe link (/editor/<job>/<scene>?exp=…&sig=…); scoped to that scene, expires with the link.',
  };
  const err = { description: 'Error {error: {code, message}}', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
  const refused = { 401: err, 403: err, 404: err, 410: err };
  const revision = {
    type: 'object',
    properties: { scene_id: { type: 'string' }, scene: { type: 'integer' }, revision: { type: 'integer' }, url: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' } },
  };
  return {
    '/editor/session': {
      get: {
        summary:
          'What the editor opens: {job_id, scene, template (the version the job used), template_ref, brand (the version used, or null), brand_ref, elements (the job\'s inputs), output, scenes [{scene, name, width, height, url (latest revision or original), original_url, status, revision}], edit {revision, scene_doc, elements} (latest saved edit of this scene; 0/null when none), allowed_origins ([] = any), expires_at}',
        parameters: [session],
        responses: { 200: json('Session'), ...refused },
      },
    },
    '/editor/revisions': {
      get: { summary: "This scene's saved revisions, oldest first: [{revision, url, width, height, created_at}]", parameters: [session], responses: { 200: json('Revisions', { type: 'array' }), ...refused } },
      post: {
        summary:
          'Save: re-renders this scene with the server\'s engine from scene_doc (a template scene) and elements (the inputs), and publishes revision base_revision+1 under a new result URL; the original result URL keeps its image. 409 ADS_EDITOR_CONFLICT when base_revision is not the latest (nothing is written); 400 naming the JSON path of an invalid scene_doc; 422 for an unusable image URL (e.g. another organisation\'s file).',
        parameters: [session],
        requestBody: { content: { 'application/json': { schema: SaveBodySchema } } },
        responses: { 201: json('The new revision', revision), 400: err, 409: err, 422: err, 429: err, ...refused },
      },
    },
    '/editor/apply-to-all': {
      post: {
        summary: 'Applies content edits (slots by content_type: heading, body, button text, image URLs) to every scene of the job, each on top of its latest saved edit; one new revision per scene, all or none.',
        parameters: [session],
        requestBody: { content: { 'application/json': { schema: ApplyBodySchema } } },
        responses: { 201: json('{scenes: [{scene_id, scene, revision, url, width, height}]}'), 400: err, 409: err, 422: err, 429: err, ...refused },
      },
    },
    '/editor/uploads': {
      post: {
        summary: "Upload an image for the editor (multipart field `file`): a file of the job's organisation, checked as POST /v1/files checks it. 201 {url, width, height, mime_type, id, size}; a non-image is a 422 saying what was received.",
        parameters: [session],
        responses: { 201: json('File'), 400: err, 403: err, 413: err, 422: err, 429: err, 401: err, 404: err, 410: err },
      },
    },
  };
}
