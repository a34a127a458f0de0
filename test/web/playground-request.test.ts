import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { toContractTemplate } from '../../src/engine/model/contract.js';
import { buildRequest, formProblem, type FormValues } from '../../web/src/playground/request.js';
import { hasSmartImage, photoSlot, textSlots } from '../../web/src/playground/slots.js';
import { clientSnippet, CURL_PHOTO, curlSnippet } from '../../web/src/playground/snippets.js';
import { startServer, type TestServer } from '../client/server.js';

const run = promisify(execFile);
const contract1062 = toContractTemplate(publicTemplate('1062')!);

function values(over: Partial<FormValues> = {}): FormValues {
  return {
    templateId: '1062',
    brandId: '121',
    requiresBrand: true,
    slots: textSlots(contract1062),
    texts: {},
    hasPhoto: false,
    mode: 'lifestyle_color',
    color: '#F3E9DC',
    prompt: 'marble counter',
    photoSlot: photoSlot(contract1062),
    smartImage: hasSmartImage(contract1062),
    ...over,
  };
}

describe('the playground form, as plain functions', () => {
  it('offers the text slots a template has, named for people, with its own text as the default', () => {
    expect(textSlots(contract1062)).toEqual([
      { contentType: 'Heading #1', label: 'Heading', defaultText: 'Glow that lasts all summer', multiline: false },
      { contentType: 'Body #1', label: 'Body', defaultText: 'Lightweight daily serum with vitamin C. Free shipping this week.', multiline: true },
      // Public templates put the button label in Body #2 (element ids s1-cta-label, …).
      { contentType: 'Body #2', label: 'Button', defaultText: 'Shop now', multiline: false },
    ]);
    const el = (id: string, content_type: string, layer_type = 'text') => ({ id, layer_type, content_type, content: id, scene_number: 1 });
    const custom = {
      scene_1: [el('h2', 'Heading #2'), el('b', 'Button #1'), el('h1', 'Heading #1'), el('pic', 'Image #3', 'image'), el('note', 'Note #1')],
      scene_resolutions: { scene_1: { width: 10, height: 10 } },
    };
    expect(textSlots(custom).map((s) => [s.contentType, s.label])).toEqual([
      ['Heading #1', 'Heading 1'],
      ['Heading #2', 'Heading 2'],
      ['Button #1', 'Button'],
    ]);
    expect(photoSlot(custom)).toBe('Image #3');
    expect(hasSmartImage(custom)).toBe(false);
    expect(photoSlot(contract1062)).toBe('Image #1');
    expect(hasSmartImage(contract1062)).toBe(true);
  });

  it('sends only what was changed, the brand only when the template uses one, and the photo where the mode puts it', () => {
    expect(buildRequest(values(), 'P')).toEqual({ template_id: '1062', brand_id: '121' });
    expect(buildRequest(values({ requiresBrand: false, templateId: '1061' }), 'P')).toEqual({ template_id: '1061' });
    expect(buildRequest(values({ texts: { 'Heading #1': '  Summer sale ', 'Body #1': '   ' } }), 'P').elements).toEqual([{ content_type: 'Heading #1', content: 'Summer sale' }]);
    expect(buildRequest(values({ hasPhoto: true }), 'P').smart_image).toEqual({ input_image_url: 'P', scene: { operation: 'lifestyle_shot_by_text', input: '#F3E9DC' } });
    expect(buildRequest(values({ hasPhoto: true, mode: 'lifestyle_prompt', prompt: ' on sand ' }), 'P').smart_image?.scene).toEqual({ operation: 'lifestyle_shot_by_text', input: 'on sand' });
    expect(buildRequest(values({ hasPhoto: true, mode: 'expand_image' }), 'P').smart_image?.scene).toEqual({ operation: 'expand_image' });
    const asIs = buildRequest(values({ hasPhoto: true, mode: 'none' }), 'P');
    expect(asIs.smart_image).toBeUndefined();
    expect(asIs.elements).toEqual([{ content_type: 'Image #1', content: 'P' }]);
  });

  it('says what stops the form before the server would', () => {
    expect(formProblem(values())).toBeNull();
    expect(formProblem(values({ brandId: null }))).toMatch(/Pick a brand/);
    expect(formProblem(values({ brandId: null, requiresBrand: false }))).toBeNull();
    expect(formProblem(values({ hasPhoto: true, color: '#12' }))).toMatch(/hex colour/);
    expect(formProblem(values({ hasPhoto: true, mode: 'lifestyle_prompt', prompt: '  123 ' }))).toMatch(/Describe the background/);
  });

  it('the client snippet is adsmith/client code with the photo as a local path and the token from the environment', () => {
    const code = clientSnippet(buildRequest(values({ hasPhoto: true, texts: { 'Heading #1': "It's on" } }), './product.png'), 'http://localhost:8080');
    expect(code).toContain("import { Adsmith } from 'adsmith/client';");
    expect(code).toContain("apiKey: process.env.ADSMITH_TOKEN!, baseUrl: 'http://localhost:8080'");
    expect(code).toContain("elements: [\n    { content_type: 'Heading #1', content: 'It\\'s on' },\n  ],");
    expect(code).toContain("input_image_url: './product.png'");
  });
});

/** The curl snippet run by bash against a real server: the job it makes carries exactly the form's text, however hostile to a shell. */
describe('the curl snippet, run', () => {
  let api: TestServer;
  let dir = '';
  beforeAll(async () => {
    api = await startServer({ workers: 1 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-snippet-'));
    fs.copyFileSync(path.resolve(import.meta.dirname, '../../src/assets/images/product.png'), path.join(dir, 'product.png'));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const tricky = `It's $HOME \`date\` "50%" \\n back\\slash ünï €`;

  for (const withPhoto of [false, true]) {
    it(withPhoto ? 'with a photo: upload, then generate through a here-document' : 'without a photo: one single-quoted body', async () => {
      const form = values({ hasPhoto: withPhoto, texts: { 'Heading #1': tricky, 'Body #2': "Don't wait" } });
      const script = curlSnippet(buildRequest(form, CURL_PHOTO), api.url, withPhoto ? 'product.png' : null);
      expect(script.includes('PHOTO_URL=')).toBe(withPhoto);
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, env: { ...process.env, ADSMITH_TOKEN: api.token, HOME: '/nowhere' } });
      const answer = JSON.parse(stdout) as { request_id: string };
      const job = await api.ctx.store.getJob(answer.request_id);
      const request = job!.request as { template_id: string; brand_id: string; elements: Array<{ content: string }>; smart_image?: { input_image_url: string; scene: object } };
      expect(request.template_id).toBe('1062');
      expect(request.brand_id).toBe('121');
      expect(request.elements.map((e) => e.content)).toEqual([tricky, "Don't wait"]);
      if (withPhoto) {
        expect(request.smart_image?.input_image_url).toMatch(new RegExp(`^${api.url}/v1/files/[A-Za-z0-9_-]+`));
        // The server stores the colour normalised to lower case.
        expect(request.smart_image?.scene).toEqual({ operation: 'lifestyle_shot_by_text', input: '#f3e9dc' });
      }
      await fetch(`${api.url}/v1/jobs/${answer.request_id}/cancel`, { method: 'POST', headers: { api_token: api.token } });
    });
  }
});
