import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as sdk from '@inferencesh/sdk';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_LINE, TASK_STATUS } from '../../src/server/tasks/view.js';
import { startApp, waitFor } from './helpers.js';

/**
 * Conformance of the task protocol to what both public SDKs parse, line by line and body by body.
 *
 * Python: inference-sh/sdk-py at bd612144f3a058ce6151b239ea2394d309cc33ec (version 0.6.32), the client the
 * hosted app's page shows. It cannot be installed here (no PyPI), so the functions that read the server's answers
 * are transcribed below from src/inferencesh/client.py, each naming the function it follows. A manual run of the
 * real Python SDK against `npm start` is described in docs/api.md.
 *
 * JavaScript: @inferencesh/sdk 0.6.54 (node_modules), used for real where it exposes the parsing code
 * (StreamableManager, parseStatus, HttpClient.extractErrorDetail, the TaskStatus* constants).
 */

// ---- The Python SDK's readers (src/inferencesh/client.py, src/inferencesh/types.py) ----

/** types.py `class TaskStatus(IntEnum)`: the values the Python SDK knows; any other int parses as UNKNOWN (0). */
const PY_TASK_STATUS = { UNKNOWN: 0, RECEIVED: 1, QUEUED: 2, DISPATCHED: 3, PREPARING: 4, SERVING: 5, SETTING_UP: 6, RUNNING: 7, CANCELLING: 8, UPLOADING: 9, COMPLETED: 10, FAILED: 11, CANCELLED: 12 } as const;

/** client.py `parse_status`: None stays None, an int outside TaskStatus is UNKNOWN (strings are mapped by name). */
function pyParseStatus(status: unknown): number | null {
  if (status === undefined || status === null) return null;
  if (typeof status === 'number') return Object.values(PY_TASK_STATUS).includes(status as never) ? status : PY_TASK_STATUS.UNKNOWN;
  if (typeof status === 'string') return (PY_TASK_STATUS as Record<string, number>)[status.toUpperCase()] ?? PY_TASK_STATUS.UNKNOWN;
  return PY_TASK_STATUS.UNKNOWN;
}

/**
 * client.py `Inference._iter_ndjson`: blank and non-JSON lines are skipped, `{"type": "heartbeat"}` is skipped,
 * `parsed["data"]` is yielded only when both "data" and "fields" are keys, otherwise the parsed line itself.
 */
function pyIterNdjsonLine(line: string): Record<string, unknown> | null {
  const trimmed = line.trim();
  if (!trimmed) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const obj = parsed as Record<string, unknown>;
  if (obj && typeof obj === 'object' && obj['type'] === 'heartbeat') return null;
  if (obj && typeof obj === 'object' && 'data' in obj && 'fields' in obj) return obj['data'] as Record<string, unknown>;
  return obj;
}

/** client.py `_strip_task`: the fields every update the Python SDK yields carries (`task.get(...)`: absent is None). */
const PY_STRIPPED_FIELDS = ['id', 'created_at', 'updated_at', 'input', 'output', 'logs', 'status'] as const;

/**
 * client.py `_process_stream_event`: COMPLETED returns the stripped task (the stream's result), FAILED raises
 * RuntimeError(data.get("error") or "task failed"), CANCELLED raises RuntimeError("task cancelled"), anything
 * else returns None and the stream goes on. `TaskStream.stream` reconnects when the stream ends before one of these
 * (up to max_reconnects), and `Inference.wait_for_completion` then raises "Stream ended without completion".
 */
function pyProcessStreamEvent(data: Record<string, unknown>): { result: Record<string, unknown> } | { raises: string } | null {
  const status = pyParseStatus(data['status']);
  if (status === PY_TASK_STATUS.COMPLETED) return { result: Object.fromEntries(PY_STRIPPED_FIELDS.map((k) => [k, data[k] ?? null])) };
  if (status === PY_TASK_STATUS.FAILED) return { raises: (data['error'] as string) || 'task failed' };
  if (status === PY_TASK_STATUS.CANCELLED) return { raises: 'task cancelled' };
  return null;
}

/**
 * client.py `Inference._request`, non-2xx branch: the APIError message is `error` (a string, or an object's
 * `message`), else `message`, else the whole body as JSON. 2xx branch: the body must be an object with a truthy
 * `success`, or it raises APIError(200, "Request failed"); it returns `data`.
 */
function pyErrorMessage(payload: Record<string, unknown>): string {
  const err = payload['error'];
  if (err) return typeof err === 'object' ? (((err as Record<string, unknown>)['message'] as string) ?? JSON.stringify(err)) : String(err);
  if (payload['message']) return String(payload['message']);
  return JSON.stringify(payload);
}
function pyUnwrapSuccess(payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || !(payload as Record<string, unknown>)['success']) throw new Error('APIError(200, "Request failed")');
  return (payload as Record<string, unknown>)['data'];
}

// ---- The JS SDK, for real ----

interface StreamableOptions {
  url: string;
  headers: Record<string, string>;
  onData: (data: Record<string, unknown>) => void;
  onPartialData: (data: Record<string, unknown>, fields: string[]) => void;
  onError: (err: Error) => void;
}
const js = sdk as unknown as {
  StreamableManager: new (o: StreamableOptions) => { start(): Promise<void> };
  parseStatus: (s: unknown) => number;
  HttpClient: new (c: { apiKey: string }) => { extractErrorDetail(body: unknown): string | undefined };
} & Record<string, unknown>;
const jsExtractErrorDetail = (body: unknown) => new js.HttpClient({ apiKey: 'x' }).extractErrorDetail(body);

/**
 * dist/http/streamable.js `StreamableManager.start` → dist/api/tasks.js `TasksAPI.watchStream`: every message the
 * real manager hands to onData / onPartialData is merged into the task and `settle`d by `parseStatus(data.status)`.
 */
async function jsStreamMessages(url: string, token: string): Promise<Array<{ via: 'data' | 'partial'; data: Record<string, unknown>; fields?: string[] }>> {
  const seen: Array<{ via: 'data' | 'partial'; data: Record<string, unknown>; fields?: string[] }> = [];
  let failure: Error | null = null;
  const manager = new js.StreamableManager({
    url,
    headers: { Authorization: `Bearer ${token}` },
    onData: (data) => seen.push({ via: 'data', data }),
    onPartialData: (data, fields) => seen.push({ via: 'partial', data, fields }),
    onError: (err) => (failure = err),
  });
  await manager.start();
  if (failure) throw failure;
  return seen;
}

// ---- The server ----

let t: Awaited<ReturnType<typeof startApp>>;
let base = '';
beforeAll(async () => {
  t = await startApp({ workers: 2 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t.close();
});

const auth = (token = t.token) => ({ authorization: `Bearer ${token}` });
const run = (body: unknown, token = t.token) => t.app.inject({ method: 'POST', url: '/apps/run', headers: { ...auth(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const heading = (content: string) => ({ layer_type: 'text', content_type: 'Heading #1', content });
const startTask = async (content: string) => (await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading(content)] } })).json().data.id as string;
const streamLines = async (id: string) => (await t.app.inject({ url: `/tasks/${id}/stream`, headers: auth() })).body.split('\n').filter((l) => l.trim() !== '');
const validateOutput = new Ajv({ strict: false, allErrors: true, formats: { file: true } }).compile(
  JSON.parse(fs.readFileSync(new URL('../../contract/inference-app/output_schema.json', import.meta.url), 'utf8')) as object,
);

describe('status numbers', () => {
  it('are the TaskStatus values of both SDKs (js TaskStatus* constants, python types.py TaskStatus)', () => {
    const expected = { queued: 'Queued', running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' } as const;
    for (const [name, number] of Object.entries(TASK_STATUS)) {
      expect(js[`TaskStatus${expected[name as keyof typeof expected]}`], name).toBe(number);
      expect((PY_TASK_STATUS as Record<string, number>)[name.toUpperCase()], name).toBe(number);
      expect(js.parseStatus(number)).toBe(number);
      expect(pyParseStatus(number)).toBe(number);
    }
  });
});

describe('GET /tasks/{id}/stream, line by line', () => {
  it('a completed task: every line yields a task with a known status to Python; only the last is terminal, with the output', async () => {
    const id = await startTask('__sleep:300');
    const lines = await streamLines(id);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const outcomes = lines.map((line, i) => {
      const update = pyIterNdjsonLine(line);
      expect(update, `line ${i}: Python yields nothing for ${line}`).not.toBeNull();
      const u = update as Record<string, unknown>;
      expect(u['id'], `line ${i}`).toBe(id);
      for (const f of PY_STRIPPED_FIELDS) expect(u[f], `line ${i} lacks ${f} (python _strip_task)`).not.toBeUndefined();
      expect([PY_TASK_STATUS.QUEUED, PY_TASK_STATUS.RUNNING, PY_TASK_STATUS.COMPLETED], `line ${i}`).toContain(pyParseStatus(u['status']));
      return pyProcessStreamEvent(u);
    });
    expect(outcomes.slice(0, -1).every((o) => o === null)).toBe(true);
    const last = outcomes[outcomes.length - 1] as { result: Record<string, unknown> };
    expect(last).toHaveProperty('result');
    expect(last.result['status']).toBe(10);
    expect(validateOutput(last.result['output']), JSON.stringify(validateOutput.errors)).toBe(true);
  });

  it('each line is the bare task: no `data`, `fields` or `event` key that either SDK would take for a wrapper', async () => {
    // python _iter_ndjson unwraps {data, fields}; js StreamableManager.start routes `event`, {data, fields} and {data}
    const id = await startTask('Hello');
    for (const line of await streamLines(id)) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed['id']).toBe(id);
      for (const wrapperKey of ['data', 'fields', 'event']) expect(parsed, line).not.toHaveProperty(wrapperKey);
    }
  });

  it('the real JS StreamableManager hands every line to onData (TasksAPI.watchStream: onUpdate) with a status; it settles on the last', async () => {
    const id = await startTask('__sleep:300');
    const messages = await jsStreamMessages(`${base}/tasks/${id}/stream`, t.token);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    for (const m of messages) {
      expect(m.via).toBe('data');
      expect(m.data['id']).toBe(id);
      expect([2, 7, 10]).toContain(js.parseStatus(m.data['status']));
    }
    const statuses = messages.map((m) => js.parseStatus(m.data['status']));
    expect(statuses.filter((s) => s === 10)).toHaveLength(1);
    expect(statuses[statuses.length - 1]).toBe(10);
    expect(validateOutput(messages[messages.length - 1]?.data['output'])).toBe(true);
  });

  it('a failed task ends on status 11 with the error text both SDKs raise', async () => {
    const id = await startTask('__fail__');
    const lines = await streamLines(id);
    const last = pyIterNdjsonLine(lines[lines.length - 1] as string) as Record<string, unknown>;
    const outcome = pyProcessStreamEvent(last) as { raises: string };
    expect(outcome.raises).toMatch(/^1 of 2 scenes failed.*scene_1: /);
    // TasksAPI.watchStream rejects with new Error(data.error || 'task failed')
    expect(js.parseStatus(last['status'])).toBe(js['TaskStatusFailed']);
    expect(last['error']).toBe(outcome.raises);
    expect(lines.slice(0, -1).every((l) => pyProcessStreamEvent(pyIterNdjsonLine(l) ?? {}) === null)).toBe(true);
  });

  it('a cancelled task streams one terminal line, status 12', async () => {
    const id = await startTask('__sleep:2000');
    expect((await t.app.inject({ method: 'POST', url: `/tasks/${id}/cancel`, headers: auth() })).statusCode).toBe(200);
    const lines = await streamLines(id);
    expect(lines).toHaveLength(1);
    const update = pyIterNdjsonLine(lines[0] as string) as Record<string, unknown>;
    expect(pyProcessStreamEvent(update)).toEqual({ raises: 'task cancelled' });
    expect(js.parseStatus(update['status'])).toBe(js['TaskStatusCancelled']);
  });

  it('the keep-alive line is a heartbeat both SDKs drop', () => {
    expect(HEARTBEAT_LINE.endsWith('\n')).toBe(true);
    expect(pyIterNdjsonLine(HEARTBEAT_LINE)).toBeNull();
    // dist/http/streamable.js streamableRaw: `if (skipHeartbeats && parsed.type === 'heartbeat') continue;`
    expect((JSON.parse(HEARTBEAT_LINE) as { type: string }).type).toBe('heartbeat');
  });
});

describe('2xx bodies', () => {
  it('every route answers {success: true, data} (python _request demands success; js executeRequest unwraps data)', async () => {
    const created = await run({ app: 'bria/ads-generate', input: { template_id: '1061' }, wait: true });
    const task = pyUnwrapSuccess(created.json()) as Record<string, unknown>;
    expect(task['status']).toBe(10);
    const id = task['id'] as string;
    const files = await t.app.inject({ method: 'POST', url: '/files', headers: auth(), payload: { files: [{ uri: '', filename: 'a.png', content_type: 'image/png', size: 10, path: null, public: null }] } });
    const bodies = [
      (await t.app.inject({ url: `/tasks/${id}`, headers: auth() })).json(),
      (await t.app.inject({ url: `/tasks/${id}/status`, headers: auth() })).json(),
      files.json(),
    ];
    for (const body of bodies) {
      expect(body.success, JSON.stringify(body)).toBe(true);
      expect(pyUnwrapSuccess(body)).toBeDefined();
    }
    // TasksAPI.watchPoll compares statusData.status and parses the full task's status
    expect(js.parseStatus((bodies[1].data as { status: number }).status)).toBe(10);
    // Inference.upload_file reads created[0]["upload_url"] and returns file_obj["uri"] into the input
    expect(pyUnwrapSuccess(files.json())).toMatchObject([{ uri: expect.stringMatching(/\/v1\/files\//), upload_url: expect.any(String) }]);
  });
});

describe('error bodies', () => {
  it('show the catalogue message in both SDKs: python reads `message` (no `error`), js reads `detail`; problem+json kept', async () => {
    const id = await startTask('Hello');
    await waitFor(async () => ((await t.app.inject({ url: `/tasks/${id}`, headers: auth() })).json().data.status === 10 ? true : null));
    const errors = [
      await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'text', content_type: 'Footer #2', content: 'x' }] } }),
      await run({ app: 'someone/else', input: {} }),
      await t.app.inject({ method: 'POST', url: '/apps/run', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"app":' }),
      await t.app.inject({ url: `/tasks/${id}`, headers: auth('wrong-token-000000000000000') }),
      await t.app.inject({ url: '/tasks/task_nope', headers: auth() }),
      await t.app.inject({ url: '/tasks/task_nope/stream', headers: auth() }),
      await t.app.inject({ method: 'POST', url: `/tasks/${id}/cancel`, headers: auth() }),
      await t.app.inject({ method: 'POST', url: '/files', headers: auth(), payload: { files: [] } }),
      await t.app.inject({ method: 'PUT', url: '/files/AAAAAAAAAAAAAAAAAAAAAAAA/upload?org=x&exp=1&name=a&sig=00', headers: { 'content-type': 'image/png' }, payload: Buffer.from('x') }),
    ];
    expect(errors.map((e) => e.statusCode)).toEqual([400, 404, 400, 401, 404, 404, 409, 400, 403]);
    for (const res of errors) {
      const body = res.json() as Record<string, unknown>;
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ type: 'about:blank', status: res.statusCode, title: expect.any(String), code: expect.stringMatching(/^ADS_/), detail: expect.any(String) });
      expect(body['detail']).not.toBe('');
      expect(pyErrorMessage(body), res.body).toBe(body['detail']);
      expect(jsExtractErrorDetail(body), res.body).toBe(body['detail']);
    }
    expect(pyErrorMessage(errors[0]?.json() as Record<string, unknown>)).toMatch(/^input\.elements\[0\]\.content_type "Footer #2" is not a slot of template 1061/);
  });
});
