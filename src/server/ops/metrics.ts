import type { FastifyReply } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PartStatus } from '../../jobs/models-protocol.js';
import type { SceneObservation } from '../../jobs/scene-runner.js';

/** What the gauges read on each scrape (never cached: a scrape shows this moment). */
export interface MetricsSources {
  /** Scenes pending or rendering in the metadata store: the whole deployment's backlog. */
  pendingScenes(): Promise<number>;
  /** Load state of each model of this process's models thread. */
  modelStates(): Array<{ model: string; state: PartStatus['state'] }>;
}

const MODEL_STATES: ReadonlyArray<PartStatus['state']> = ['not_loaded', 'loading', 'ready', 'failed'];

/** Render stage buckets in ms: a 300×250 layout takes under 1 ms, a 1080×1920 PNG encode tens to hundreds. */
const STAGE_BUCKETS_MS = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/** The error code an answer was sent with (sendError notes it; the metrics route's hook counts it). */
const errorCodes = new WeakMap<FastifyReply, string>();

export function noteErrorCode(reply: FastifyReply, code: string): void {
  errorCodes.set(reply, code);
}

export function errorCodeOf(reply: FastifyReply): string | undefined {
  return errorCodes.get(reply);
}

/**
 * One app's Prometheus metrics, in a registry of its own (never prom-client's global one), so several apps in
 * one process (tests, the embedded CLI server) each count their own. Counters and histograms are fed as things
 * happen (scene outcomes from the scene runner, API errors from the error answers); the queue depth and the
 * model states are read from their sources at scrape time. Process metrics (CPU, memory, event-loop lag) come
 * from prom-client's defaults, in this registry too.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private sources: MetricsSources | null = null;
  private readonly scenes: Counter<'status'>;
  private readonly errors: Counter<'code'>;
  private readonly stageMs: Histogram<'stage'>;

  constructor() {
    const registers = [this.registry];
    this.scenes = new Counter({
      name: 'adsmith_scenes_total',
      help: 'Scenes recorded by this process, by outcome (done, moderated, failed). rate() gives scenes per second.',
      labelNames: ['status'],
      registers,
    });
    this.errors = new Counter({
      name: 'adsmith_errors_total',
      help: 'Errors by catalogue code: API error answers and failed or interrupted scenes.',
      labelNames: ['code'],
      registers,
    });
    this.stageMs = new Histogram({
      name: 'adsmith_render_stage_ms',
      help: 'Milliseconds a render thread spent per stage of a scene: layout, paint (with the pixel readback), encode.',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS_MS,
      registers,
    });
    // The gauges' collect() runs with the gauge as `this`: the sources are reached through this arrow.
    const sourcesOf = () => this.sources;
    new Gauge({
      name: 'adsmith_queue_depth',
      help: 'Scenes pending or rendering in the metadata store (every node of the deployment).',
      registers,
      async collect() {
        const sources = sourcesOf();
        if (!sources) return;
        try {
          this.set(await sources.pendingScenes());
        } catch {
          // The database is unreachable: no sample rather than a stale one or a failed scrape.
          this.reset();
        }
      },
    });
    new Gauge({
      name: 'adsmith_model_state',
      help: 'Load state of each model of this process (1 for its current state, 0 for the others).',
      labelNames: ['model', 'state'],
      registers,
      collect() {
        for (const { model, state } of sourcesOf()?.modelStates() ?? []) {
          for (const s of MODEL_STATES) this.set({ model, state: s }, s === state ? 1 : 0);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the queue depth and the model states are read from (the app's store and models thread). */
  watch(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** The scene runner's observer: counts the outcome, its error, and the stage times of a rendered scene. */
  readonly observeScene = (o: SceneObservation): void => {
    if (o.status !== 'requeued') this.scenes.inc({ status: o.status });
    if (o.errorCode) this.errors.inc({ code: o.errorCode });
    if (o.timings) {
      this.stageMs.observe({ stage: 'layout' }, o.timings.layout);
      this.stageMs.observe({ stage: 'paint' }, o.timings.paint);
      this.stageMs.observe({ stage: 'encode' }, o.timings.encode);
    }
  };

  countError(code: string): void {
    this.errors.inc({ code });
  }

  /** The text exposition format, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
