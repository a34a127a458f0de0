import { getTextRenderer } from '@napi-rs/canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { Renderer } from '../../src/node/render.js';
import { textRendererFromEnv, useTextRenderer } from '../../src/node/text-renderer.js';

describe('text renderer (ADSMITH_TEXT_RENDERER)', () => {
  afterAll(() => useTextRenderer('portable'));

  it('defaults to portable, takes system, and names the variable for anything else', () => {
    expect(textRendererFromEnv({})).toBe('system');
    expect(textRendererFromEnv({ ADSMITH_TEXT_RENDERER: ' system ' })).toBe('system');
    expect(() => textRendererFromEnv({ ADSMITH_TEXT_RENDERER: 'chrome' })).toThrow('ADSMITH_TEXT_RENDERER must be portable or system, got "chrome"');
  });

  it('each Renderer draws with its own renderer even when another switched the process', async () => {
    const req = { template: publicTemplate('1061')!, brand: null, elements: [{ content_type: 'Heading #1', content: 'Summer sale' }] };
    const portable = new Renderer({ textRenderer: 'portable' });
    const system = new Renderer({ textRenderer: 'system' });
    const a = (await portable.renderScene(req, 5)).bytes;
    expect(getTextRenderer()).toBe('portable');
    const b = (await system.renderScene(req, 5)).bytes;
    expect(getTextRenderer()).toBe('system');
    // Glyph edges differ between the two (text gamma), so the files do; the same renderer again gives the same bytes.
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).not.toBe(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from((await portable.renderScene(req, 5)).bytes))).toBe(0);
  });
});
