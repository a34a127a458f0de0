import { AdsmithError } from '../../errors/catalogue.js';
import type { JobRecord, Org, TaskRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { newJobOf, parseGenerateBody, prepareGenerate, saveCheckedInputs } from '../contract/generate.js';
import { newId } from '../../common/ids.js';
import { PLANS } from '../../common/plans.js';
import { generateBodyOfInput, resolveApp, taskError } from './app.js';
import { check } from '../contract/validate.js';

/**
 * The body of POST /apps/run as the @inferencesh/sdk sends it: `{app, input, webhook?, …}`. The SDK spreads the
 * caller's run parameters into it, so the other fields of its ApiAppRunRequest are accepted (and have no effect
 * here: there are no workers, sessions or infra to choose), but they must have their documented types.
 */
const RunBodySchema = {
  type: 'object',
  required: ['app', 'input'],
  properties: {
    app: { type: 'string', minLength: 1, maxLength: 200 },
    input: {},
    webhook: { type: 'string', minLength: 1, maxLength: 2048 },
    wait: { type: 'boolean' },
    stream: { type: 'boolean' },
    app_id: { type: 'string' },
    version_id: { type: 'string' },
    function: { type: 'string', enum: ['run'] },
    infra: { type: 'string' },
    workers: { type: 'array', items: { type: 'string' } },
    session: { type: 'string' },
    session_timeout: { type: 'number' },
    metadata: { type: 'object' },
  },
} as const;

export interface RunBody {
  app: string;
  input: unknown;
  webhook?: string;
  wait?: boolean;
}

export function parseRunBody(raw: unknown): RunBody {
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null)) : raw;
  return check<RunBody>(RunBodySchema, body);
}

/**
 * Starts a task: the app input checked against the hosted app's schema, then exactly what generate checks (plan,
 * template, brand, slots, image inputs fetched once, moderation); the job and its task record are written together.
 */
export async function acceptTask(ctx: ServerContext, org: Org, run: RunBody, requestId: string | null = null): Promise<{ job: JobRecord; task: TaskRecord }> {
  const app = resolveApp(run.app);
  const raw = generateBodyOfInput(run.input, run.webhook);
  const elementCount = Array.isArray(raw['elements']) ? raw['elements'].length : 0;
  try {
    const { body, requestHash } = parseGenerateBody(raw);
    const prepared = await prepareGenerate(ctx, org, body, requestHash);
    // The task's webhook gets the protocol's payload (TaskTracker), not a job webhook.
    const { webhook_url: _webhook, ...request } = prepared.request as Record<string, unknown>;
    void _webhook;
    const jobId = newId('task');
    await saveCheckedInputs(ctx, jobId, prepared.inputs);
    const res = await ctx.store.createTask(newJobOf({ ...prepared, request: { ...request, app }, webhookUrl: null }, jobId, org.id, null, requestId), { app, webhookUrl: run.webhook ?? null }, PLANS[org.plan].totalRequests);
    if (!res.job) {
      const plan = PLANS[org.plan];
      throw new AdsmithError('ADS_QUOTA_EXCEEDED', { plan_label: plan.label, total: plan.totalRequests ?? 0 });
    }
    ctx.queue.notify(res.job.id);
    return res;
  } catch (err) {
    throw taskError(err, elementCount);
  }
}
