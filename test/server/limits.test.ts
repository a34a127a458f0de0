import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, effectiveLimits, limitsFromEnv } from '../../src/server/contract/limits.js';
import { fixtureTemplate, startApp } from './helpers.js';

/**
 * Issue 9: a private template of four 8192×8192 scenes generated at scale 2 was
 * accepted and took the server to 15.3 GB. Pixels per scene (after scale), per
 * job, scenes per template and characters per text are refused with a 400 that
 * names the limit, its value, who sets it and the offending scene or element.
 */
let t: Awaited<ReturnType<typeof startApp>>;
let pro = '';
beforeAll(async () => {
  // The default organisation is on the unlimited plan: only the configured limits apply to it.
  t = await startApp({ workers: 1, limits: { ...DEFAULT_LIMITS, jobPixels: 100_000_000 } });
  pro = (await t.newOrg('pro', 'pro-org')).token;
});
afterAll(async () => {
  await t.close();
});

/** A private template document of `n` scenes of `w`×`h` (the fixture's elements). */
function template(n: number, w: number, h: number): object {
  const doc = fixtureTemplate('new', false, n) as unknown as { scenes: Array<{ width: number; height: number }> };
  for (const s of doc.scenes) {
    s.width = w;
    s.height = h;
  }
  return doc;
}

const save = (doc: object, token = t.token) => t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: token }, payload: doc });
const generate = (body: object, token = t.token) => t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: token }, payload: body });

describe('output limits', () => {
  it("refuses the issue's template (four 8192×8192 scenes) when it is saved, naming the scene, its size and the limit", async () => {
    const res = await save(template(4, 8192, 8192));
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('ADS_SCENE_TOO_LARGE');
    expect(error.message).toBe(
      'scenes[0] ("Scene 1") is 8,192×8,192 px at scale 1 = 67,108,864 pixels, over the limit of 40,000,000 pixels per scene (set by ADSMITH_MAX_SCENE_PIXELS). Make the scene smaller or use scale 1.',
    );
  });

  it('refuses a template of more scenes than allowed, naming the count and the limit', async () => {
    const res = await save(template(33, 100, 100));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'ADS_TOO_MANY_SCENES', message: expect.stringMatching(/^The template has 33 scenes, over the limit of 32 scenes per template \(set by ADSMITH_MAX_TEMPLATE_SCENES\)/) });
    // At the limit it is accepted.
    expect((await save(template(32, 100, 100))).statusCode).toBe(201);
  });

  it('checks the scene after scale at generate: a 4000×4000 scene is fine at scale 1 and refused at scale 2', async () => {
    const saved = await save(template(1, 4000, 4000));
    expect(saved.statusCode).toBe(201);
    const id = String(saved.json().id);
    const atScale2 = await generate({ template_id: id, scale: 2 });
    expect(atScale2.statusCode).toBe(400);
    expect(atScale2.json().error).toMatchObject({
      code: 'ADS_SCENE_TOO_LARGE',
      message: expect.stringMatching(/^scenes\[0\] \("Scene 1"\) is 8,000×8,000 px at scale 2 = 64,000,000 pixels, over the limit of 40,000,000 pixels per scene/),
    });
    expect((await generate({ template_id: id })).statusCode).toBe(200);
  });

  it('refuses a job whose scenes add up to more than the job limit, and nothing is stored', async () => {
    const saved = await save(template(4, 3000, 3000));
    const id = String(saved.json().id);
    const jobsBefore = (await t.app.inject({ url: '/v1/jobs', headers: { api_token: t.token } })).json();
    const res = await generate({ template_id: id, scale: 2 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'ADS_JOB_TOO_LARGE',
      message: expect.stringMatching(/^This request renders 144,000,000 pixels in 4 scenes at scale 2, over the limit of 100,000,000 pixels per job \(set by ADSMITH_MAX_JOB_PIXELS\)/),
    });
    expect((await t.app.inject({ url: '/v1/jobs', headers: { api_token: t.token } })).json()).toEqual(jobsBefore);
    expect((await generate({ template_id: id, scale: 1 })).statusCode).toBe(200);
  });

  it("the plan's ceiling applies when it is lower, and the message says so", async () => {
    // Configured job limit 100 MP; the Pro plan caps it at 200 MP, so the configuration wins here…
    expect(effectiveLimits({ ...DEFAULT_LIMITS, jobPixels: 100_000_000 }, 'pro').jobPixels).toEqual({ value: 100_000_000, source: 'ADSMITH_MAX_JOB_PIXELS' });
    // …and a configured 1 GP per scene is capped by the Pro plan's 40 MP.
    expect(effectiveLimits({ ...DEFAULT_LIMITS, scenePixels: 1_000_000_000 }, 'pro').scenePixels).toEqual({ value: 40_000_000, source: 'the Pro plan' });
    expect(effectiveLimits(DEFAULT_LIMITS, 'free')).toMatchObject({ scenePixels: { value: 16_000_000, source: 'the Free plan' }, orgScenes: { value: 1 } });
    expect(effectiveLimits(DEFAULT_LIMITS, 'unlimited').scenePixels).toEqual({ value: 40_000_000, source: 'ADSMITH_MAX_SCENE_PIXELS' });
  });

  it('a Pro organisation under a looser configuration is held to its plan at save and at generate', async () => {
    const loose = await startApp({ workers: 1, limits: { ...DEFAULT_LIMITS, scenePixels: 500_000_000, templateScenes: 1000 } });
    try {
      const proToken = (await loose.newOrg('pro', 'pro-loose')).token;
      const res = await loose.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: proToken }, payload: template(1, 8192, 8192) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/over the limit of 40,000,000 pixels per scene \(set by the Pro plan\)/);
      const many = await loose.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: proToken }, payload: template(40, 100, 100) });
      expect(many.json().error.message).toMatch(/^The template has 40 scenes, over the limit of 32 scenes per template \(set by the Pro plan\)/);
      // The default (unlimited) organisation takes the looser configuration.
      expect((await loose.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: loose.token }, payload: template(1, 8192, 8192) })).statusCode).toBe(201);
    } finally {
      await loose.close();
    }
  });

  it('refuses a text element over the character limit with a 400 naming the element and the limit', async () => {
    const long = 'a'.repeat(5_001);
    const res = await generate({ template_id: '1061', elements: [{ content_type: 'Body #1', content: 'ok' }, { content_type: 'Heading #1', content: long }] }, pro);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'ADS_TEXT_TOO_LONG',
      message: 'The text of elements[1] (Heading #1) has 5,001 characters, over the limit of 5,000 characters per text element (set by ADSMITH_MAX_TEXT_CHARS). Shorten it.',
    });
    // Exactly at the limit is accepted; an image URL is not a text and is not counted.
    expect((await generate({ template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'a'.repeat(5_000) }] }, pro)).statusCode).toBe(200);
    // Characters are counted as people count them: 5,000 emoji (10,000 UTF-16 units) pass.
    expect((await generate({ template_id: '1061', elements: [{ content_type: 'Heading #1', content: '🔥'.repeat(5_000) }] }, pro)).statusCode).toBe(200);
    // A template's own text is checked when it is saved.
    const doc = template(1, 100, 100) as { scenes: Array<{ elements: Array<{ content: string }> }> };
    doc.scenes[0]!.elements[0]!.content = long;
    const saved = await save(doc);
    expect(saved.statusCode).toBe(400);
    expect(saved.json().error.message).toMatch(/^The text of scenes\[0\]\.elements\[0\] \("h0"\) has 5,001 characters, over the limit of 5,000/);
  });

  it('a batch row over a limit is refused with the same message, naming the row', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/batch',
      headers: { api_token: pro },
      payload: { template_id: '1061', rows: [{ key: 'ok', elements: [{ content_type: 'Heading #1', content: 'Fine' }] }, { key: 'long', elements: [{ content_type: 'Heading #1', content: 'b'.repeat(6_000) }] }] },
    });
    expect(res.statusCode).toBe(202);
    const failed = res.json().failed_rows;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ index: 1, key: 'long', error: { code: 'ADS_TEXT_TOO_LONG' } });
    expect(failed[0].error.message).toMatch(/elements\[0\] \(Heading #1\) has 6,000 characters, over the limit of 5,000/);
  });

  it('a hosted-app task over a limit is refused at /apps/run', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/apps/run',
      headers: { authorization: `Bearer ${pro}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'text', content_type: 'Heading #1', content: 'c'.repeat(7_000) }] } }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'ADS_TEXT_TOO_LONG', detail: expect.stringMatching(/^The text of input\.elements\[0\] \(Heading #1\) has 7,000 characters, over the limit of 5,000 characters per text element/) });
  });

  it('reads ADSMITH_MAX_* from the environment and refuses a value that is not a positive integer, naming the variable', () => {
    expect(limitsFromEnv({ ADSMITH_MAX_SCENE_PIXELS: '33177600', ADSMITH_MAX_TEXT_CHARS: '2_000' })).toMatchObject({ scenePixels: 33_177_600, textChars: 2_000, jobPixels: 200_000_000 });
    expect(() => limitsFromEnv({ ADSMITH_MAX_JOB_PIXELS: '-5' })).toThrow('ADSMITH_MAX_JOB_PIXELS must be a positive integer, got "-5"');
    expect(() => limitsFromEnv({ ADSMITH_MAX_ORG_SCENES: 'lots' })).toThrow(/ADSMITH_MAX_ORG_SCENES/);
  });
});
