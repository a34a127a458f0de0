import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../../src/client/sse.js';

/** A body that arrives in the given chunks, as a network delivers it. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

async function all(chunks: string[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const e of readSse(body(chunks))) out.push(e);
  return out;
}

describe('readSse', () => {
  it('parses events split anywhere across chunks, comments and multi-line data', async () => {
    const text = ': keep-alive\n\nevent: progress\ndata: {"a":1}\n\nevent: progress\ndata: line1\ndata: line2\n\nevent: done\ndata: {"b":2}\n\n';
    const expected = [
      { event: 'progress', data: '{"a":1}' },
      { event: 'progress', data: 'line1\nline2' },
      { event: 'done', data: '{"b":2}' },
    ];
    expect(await all([text])).toEqual(expected);
    // Every split point, including inside "\n\n" and inside a field name.
    for (let i = 1; i < text.length; i++) expect(await all([text.slice(0, i), text.slice(i)])).toEqual(expected);
    // One byte at a time.
    expect(await all(text.split(''))).toEqual(expected);
  });

  it('accepts CRLF and CR line ends, a CRLF split between chunks, and unnamed events', async () => {
    expect(await all(['data: x\r', '\n\r\n', 'event: e\rdata:y\r\r'])).toEqual([
      { event: 'message', data: 'x' },
      { event: 'e', data: 'y' },
    ]);
  });

  it('drops a last event that was never terminated by a blank line (the stream was cut)', async () => {
    expect(await all(['event: progress\ndata: {"a":1}\n\nevent: done\ndata: {"cut'])).toEqual([{ event: 'progress', data: '{"a":1}' }]);
  });

  it('cancels the download when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: tick\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const e of readSse(stream)) {
      expect(e.data).toBe('tick');
      break;
    }
    expect(cancelled).toBe(true);
  });
});
