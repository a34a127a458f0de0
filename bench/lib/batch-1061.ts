/**
 * The 1061 batch the batch benches post: rows that each differ (heading, body, second body line), and the
 * client's wait for the batch's `done` event on its SSE stream.
 */
import { performance } from 'node:perf_hooks';

const PRODUCTS = ['Linen shirt', 'Canvas tote', 'Walnut desk', 'Wool throw', 'Ceramic mug', 'Desk lamp', 'Rain jacket', 'Trail shoes', 'Oak stool', 'Glass vase', 'Leather belt', 'Cotton tee'];
const PITCHES = ['Made to last, priced to move.', 'Free delivery this week only.', 'New colours, same comfort.', 'Back in stock — while it lasts.', 'Designed here, built to be repaired.', 'Two for one until Sunday.'];

/** Every row different: its own heading, body and second body line. */
export function rowElements(i: number) {
  return [
    { layer_type: 'text', content_type: 'Heading #1', content: `${PRODUCTS[i % PRODUCTS.length]} No. ${i + 1}` },
    { layer_type: 'text', content_type: 'Body #1', content: PITCHES[i % PITCHES.length] as string },
    { layer_type: 'text', content_type: 'Body #2', content: `Offer ${1000 + i} · ${(i * 7) % 50}% off` },
  ];
}

/** Reads an SSE response until `event: done`; returns the done event's data. */
export async function untilDone(res: Response, hardStop: number): Promise<{ status: string; scenes_done: number; rows_failed: number }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    if (Date.now() > hardStop) throw new Error('bench time limit');
    const { done, value } = await reader.read();
    if (done) throw new Error('the event stream ended without done');
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      if (event.startsWith('event: done')) {
        await reader.cancel();
        return JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { status: string; scenes_done: number; rows_failed: number };
      }
    }
  }
}

/**
 * POSTs a batch of `rows` rows of 1061 (rows `offset`… so that every batch's rows differ) and waits for its `done`
 * event; returns the wall time from the POST to `done`. Throws unless every row and scene completed.
 */
export async function runBatch(base: string, token: string, rows: number, offset: number, hardStop: number): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/ads/batch`, {
    method: 'POST',
    headers: { api_token: token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1061', rows: Array.from({ length: rows }, (_, i) => ({ key: `row-${offset + i}`, elements: rowElements(offset + i) })) }),
  });
  const accepted = (await res.json()) as { batch_id: string; rows_accepted: number };
  if (res.status !== 202 || accepted.rows_accepted !== rows) throw new Error(`batch answered ${res.status}: ${JSON.stringify(accepted).slice(0, 300)}`);
  const done = await untilDone(await fetch(`${base}/v1/ads/batch/${accepted.batch_id}/events`, { headers: { api_token: token } }), hardStop);
  if (done.status !== 'COMPLETED' || done.rows_failed !== 0) throw new Error(`batch ended ${JSON.stringify(done)}`);
  return performance.now() - t0;
}
