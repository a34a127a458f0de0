import { describe, expect, it } from 'vitest';
import { readLink, readPanels, readTheme, sessionHeader } from '../../web/src/editor/config.js';
import { connectHost, originAllowed, parseHostMessage, type HostCommand } from '../../web/src/editor/embed.js';

describe('the editor link and its query', () => {
  it('reads job, scene, exp and sig, and makes the session header', () => {
    const link = readLink({ pathname: '/editor/job_abc-1/3', search: '?exp=1799999999&sig=ab12&accent=%23ff0066' })!;
    expect(link).toEqual({ job: 'job_abc-1', scene: 3, exp: '1799999999', sig: 'ab12' });
    expect(sessionHeader(link)).toBe('job_abc-1.3.1799999999.ab12');
    expect(readLink({ pathname: '/editor/job_abc/1', search: '?exp=1' })).toBeNull();
    expect(readLink({ pathname: '/somewhere', search: '?exp=1&sig=2' })).toBeNull();
  });

  it('panels: ?panels lists the shown ones, ?hide removes, unknown names are ignored', () => {
    expect([...readPanels('')].sort()).toEqual(['layers', 'properties', 'toolbar']);
    expect([...readPanels('?panels=layers,properties')].sort()).toEqual(['layers', 'properties']);
    expect([...readPanels('?hide=layers')].sort()).toEqual(['properties', 'toolbar']);
    expect([...readPanels('?panels=properties,bogus&hide=properties')]).toEqual([]);
  });

  it('theme: only colours, a px radius and a plain font name get through (no CSS injection)', () => {
    expect(readTheme('?accent=%23ff0066&radius=4&font=Inter')).toEqual({ '--adsmith-accent': '#ff0066', '--adsmith-radius': '4px', '--adsmith-font': 'Inter' });
    expect(readTheme('?accent=red;background:url(x)&bg=%23fff&radius=4px;x&font=a%7Bb')).toEqual({ '--adsmith-bg': '#fff' });
  });
});

describe('postMessage with the host', () => {
  it('origins: [] or * means any, otherwise the list', () => {
    expect(originAllowed('https://a.example', [])).toBe(true);
    expect(originAllowed('https://a.example', ['*'])).toBe(true);
    expect(originAllowed('https://a.example', ['https://a.example'])).toBe(true);
    expect(originAllowed('https://evil.example', ['https://a.example'])).toBe(false);
  });

  it('host messages: the four types with their fields; anything else is null', () => {
    expect(parseHostMessage({ type: 'adsmith:save' })).toEqual({ type: 'adsmith:save' });
    expect(parseHostMessage({ type: 'adsmith:select', element_id: 's1-heading' })).toEqual({ type: 'adsmith:select', element_id: 's1-heading' });
    expect(parseHostMessage({ type: 'adsmith:select' })).toBeNull();
    expect(parseHostMessage({ type: 'adsmith:select', element_id: 7 })).toBeNull();
    expect(parseHostMessage({ type: 'adsmith:ready' })).toBeNull();
    expect(parseHostMessage('adsmith:save')).toBeNull();
    expect(parseHostMessage(null)).toBeNull();
  });

  it('the bridge takes commands only from the parent window at an allowed origin, and posts only to allowed origins', () => {
    const posted: Array<[unknown, string]> = [];
    const parent = { postMessage: (m: unknown, o: string) => posted.push([m, o]) };
    const win = Object.assign(new EventTarget(), { parent }) as unknown as Parameters<typeof connectHost>[0];
    const got: HostCommand[] = [];
    const bridge = connectHost(win, ['https://app.example'], (c) => got.push(c));
    // Node's MessageEvent only takes a MessagePort as source: a plain Event with the same three fields.
    const send = (data: unknown, origin: string, source: unknown) =>
      (win as unknown as EventTarget).dispatchEvent(
        Object.defineProperties(new Event('message'), { data: { value: data }, origin: { value: origin }, source: { value: source } }),
      );
    send({ type: 'adsmith:undo' }, 'https://app.example', parent);
    send({ type: 'adsmith:redo' }, 'https://evil.example', parent);
    send({ type: 'adsmith:save' }, 'https://app.example', { postMessage() {} });
    send({ type: 'adsmith:nope' }, 'https://app.example', parent);
    expect(got).toEqual([{ type: 'adsmith:undo' }]);
    bridge.post({ type: 'adsmith:change', dirty: true });
    expect(posted).toEqual([[{ type: 'adsmith:change', dirty: true }, 'https://app.example']]);
    bridge.stop();
    send({ type: 'adsmith:undo' }, 'https://app.example', parent);
    expect(got).toHaveLength(1);

    const any = connectHost(win, [], () => {});
    any.post({ type: 'adsmith:ready', scene: 1, width: 10, height: 10 });
    expect(posted.at(-1)![1]).toBe('*');
  });
});
