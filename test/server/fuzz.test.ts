import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

/**
 * Property: whatever JSON a client sends to generate, the answer is a 2xx/4xx
 * with a message, never a 500 or a stack trace. Strings never contain "http",
 * so no input can make the server resolve or fetch anything.
 */
let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({ workers: 0 });
});
afterAll(async () => {
  await t.close();
});

const str = fc.string({ maxLength: 30 }).filter((s) => !/http|\/\//i.test(s));
const scalar = fc.oneof(str, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(str, tie('value'), { maxKeys: 4 })),
})).value;
const element = fc.record(
  {
    layer_type: fc.oneof(fc.constantFrom('text', 'image', 'smartImage', 'logo', 'shape'), str, scalar),
    content_type: fc.oneof(fc.constantFrom('Heading #1', 'Body #1', 'Image #1', 'smartImage', 'Heading #9'), str, scalar),
    content: fc.oneof(str, scalar),
    id: fc.oneof(fc.constantFrom('h0', 'img1', 'nope'), str, scalar),
  },
  { requiredKeys: [] },
);
const body = fc.record(
  {
    template_id: fc.oneof(fc.constantFrom('1061', '1062', 1061, '10000', ''), str, scalar),
    brand_id: fc.oneof(fc.constantFrom('167', '120', '10001'), str, scalar),
    elements: fc.oneof(fc.array(element, { maxLength: 4 }), json),
    smart_image: fc.oneof(fc.record({ input_image_url: str, scene: fc.record({ operation: fc.oneof(fc.constantFrom('expand_image', 'lifestyle_shot_by_text'), str), input: str }, { requiredKeys: [] }) }, { requiredKeys: [] }), json),
    content_moderation: fc.oneof(fc.boolean(), scalar),
    output_format: fc.oneof(fc.constantFrom('png', 'jpeg', 'webp', 'gif'), scalar),
    scale: fc.oneof(fc.constantFrom(1, 2, 3), scalar),
    max_kb: fc.oneof(fc.integer({ min: -5, max: 200_000 }), scalar),
    sync: fc.constant(false),
    extra: json,
  },
  { requiredKeys: [] },
);

describe('generate never answers 500', () => {
  it('for arbitrary bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, json), async (payload) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/ads/generate',
          headers: { api_token: t.token, 'content-type': 'application/json' },
          payload: JSON.stringify(payload) ?? 'null',
        });
        expect([200, 400, 403, 413, 415, 422]).toContain(res.statusCode);
        expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
        if (res.statusCode >= 400) expect(res.body.length).toBeGreaterThan(10);
      }),
      { numRuns: 400 },
    );
  });

  it('for arbitrary raw bodies and content types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }).filter((s) => !/http/i.test(s)), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'), async (raw, type) => {
        const res = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, 'content-type': type }, payload: raw });
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
