import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

const generate = (elements: unknown[]) =>
  t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, 'content-type': 'application/json' }, payload: { template_id: '1061', elements } });

describe('elements[].locale in a generate request', () => {
  it('is accepted beside the contract fields (BCP 47: ja, zh-Hant, zh_TW)', async () => {
    for (const locale of ['ja', 'zh-Hant', 'zh_TW', 'en-US']) {
      const res = await generate([{ content_type: 'Heading #1', content: '直 骨 角', locale }]);
      expect(res.statusCode, `${locale}: ${res.body}`).toBeLessThan(300);
    }
    // Without it the request is the contract's, unchanged.
    expect((await generate([{ content_type: 'Heading #1', content: 'Sale' }])).statusCode).toBeLessThan(300);
  });

  it('a value that is not a language tag is a 400 naming the field and the fix', async () => {
    for (const locale of ['not a tag!', 'j', '日本語']) {
      const res = await generate([{ content_type: 'Heading #1', content: 'x', locale }]);
      expect(res.statusCode, locale).toBe(400);
      expect(res.json().error.message, locale).toMatch(/elements\[0\]\.locale.*BCP 47 language tag/);
    }
    const wrongType = await generate([{ content_type: 'Heading #1', content: 'x', locale: 7 }]);
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/elements\[0\]\.locale/);
  });
});
