import { MultiBar, type SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import type { Progress, SceneInfo } from '../client/index.js';

/** A scene's steps as its bar shows them: queued → rendering → rendered → saved. */
const STEP: Record<SceneInfo['status'], number> = { pending: 0, rendering: 1, done: 2, moderated: 2, failed: 3, cancelled: 3 };
const SAVED = 3;

const label = (s: SceneInfo) => `${s.key.replace('scene_', '#').padEnd(3)} ${s.name.slice(0, 34).padEnd(34)}`;

export interface ProgressSink {
  update(progress: Progress): void;
  saved(key: string, file: string): void;
  stop(): void;
}

/** A live bar per scene on a terminal (stderr). */
class SceneBars implements ProgressSink {
  private readonly multi = new MultiBar(
    { format: '{label} [{bar}] {state}', hideCursor: true, clearOnComplete: false, stopOnComplete: false, barsize: 20, stream: process.stderr, autopadding: true },
  );
  private readonly bars = new Map<string, SingleBar>();

  update(p: Progress): void {
    for (const s of p.scenes) {
      const state = s.status === 'done' ? 'rendered' : s.status;
      const bar = this.bars.get(s.key);
      if (bar) bar.update(STEP[s.status], { state });
      else this.bars.set(s.key, this.multi.create(SAVED, STEP[s.status], { label: label(s), state }));
    }
  }

  saved(key: string, file: string): void {
    this.bars.get(key)?.update(SAVED, { state: `saved ${basename(file)}` });
  }

  private stopped = false;

  /** Idempotent: a second MultiBar.stop() would move the cursor up over what was printed since. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multi.stop();
  }
}

/** One plain line per scene change (logs, CI, pipes): `[3/8] #3 Story 1080×1920: done`. */
class SceneLines implements ProgressSink {
  private readonly last = new Map<string, string>();
  private total = 0;
  private finished = 0;

  update(p: Progress): void {
    this.total = p.scenes_total;
    this.finished = p.scenes_done;
    for (const s of p.scenes) {
      if (this.last.get(s.key) === s.status || s.status === 'pending') continue;
      this.last.set(s.key, s.status);
      const why = s.status === 'failed' && s.error ? ` (${s.error.message})` : '';
      process.stderr.write(`[${this.finished}/${this.total}] ${label(s).trimEnd()}: ${s.status}${why}\n`);
    }
  }

  saved(key: string, file: string): void {
    process.stderr.write(`saved ${key} → ${file}\n`);
  }

  stop(): void {}
}

class Silent implements ProgressSink {
  update(): void {}
  saved(): void {}
  stop(): void {}
}

/** Bars on a terminal, lines otherwise, nothing with --quiet or --json. */
export function sceneProgress(opts: { quiet?: boolean; json?: boolean }): ProgressSink {
  if (opts.quiet || opts.json) return new Silent();
  return process.stderr.isTTY ? new SceneBars() : new SceneLines();
}
