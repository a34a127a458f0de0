import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { openApiDocument } from '../contract/openapi.js';

/**
 * /docs: an interactive reference of the whole API (Swagger UI), rendered from
 * the same OpenAPI document /openapi.json serves. @fastify/swagger runs in
 * static mode (it only hands that document on; routes are not scanned) and
 * @fastify/swagger-ui serves the UI from the files it ships (a copy of
 * swagger-ui-dist), so the page loads nothing from another host: no CDN, no
 * validator badge (validatorUrl null). "Authorize" takes the token through the
 * document's security schemes (api_token header or Bearer) and "Try it out"
 * sends requests to the document's servers, this server's public URL.
 *
 * Routes: /docs (the page), /docs/static/* (its assets), /docs/json and
 * /docs/yaml (the document, which the page loads).
 */
export function registerDocsPage(app: FastifyInstance, ctx: ServerContext): void {
  // Encapsulated: the `swagger` decorator and the UI's routes stay in this scope.
  void app.register(async (scope) => {
    await scope.register(swagger, { mode: 'static', specification: { document: openApiDocument(ctx.config.publicUrl) as never } });
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      validatorUrl: false, // written as validatorUrl: null into the page's initializer: no badge fetched from validator.swagger.io
      // BaseLayout: the reference without swagger-ui's top bar (its vendor logo and a box for exploring other documents).
      uiConfig: { layout: 'BaseLayout', validatorUrl: null, deepLinking: true, persistAuthorization: false, tryItOutEnabled: false, displayRequestDuration: true },
      theme: { title: 'Adsmith API' },
    });
  });
}
