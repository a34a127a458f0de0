import { MultiBar, type SingleBar } from 'cli-progress';

export interface BatchCounts {
  rowsTotal: number;
  rowsSaved: number;
  rowsFailed: number;
  scenesTotal: number;
  scenesDone: number;
}

export interface BatchSink {
  update(counts: BatchCounts): void;
  /** A row reached its end (saved or failed): one line on a pipe, nothing on a terminal (the bars say it). */
  row(line: string): void;
  stop(): void;
}

/** Two live bars on a terminal: rows (saved/failed of all) and scenes rendered. */
class Bars implements BatchSink {
  private readonly multi = new MultiBar({ format: '{what} [{bar}] {value}/{total} {extra}', hideCursor: true, barsize: 30, stream: process.stderr, autopadding: true });
  private rows: SingleBar | null = null;
  private scenes: SingleBar | null = null;

  update(c: BatchCounts): void {
    const extra = `saved ${c.rowsSaved}${c.rowsFailed ? `, failed ${c.rowsFailed}` : ''}`;
    if (!this.rows) {
      this.rows = this.multi.create(c.rowsTotal, c.rowsSaved + c.rowsFailed, { what: 'rows  ', extra });
      this.scenes = this.multi.create(Math.max(1, c.scenesTotal), c.scenesDone, { what: 'scenes', extra: 'rendered' });
    }
    this.rows.update(c.rowsSaved + c.rowsFailed, { extra });
    this.scenes?.setTotal(Math.max(1, c.scenesTotal));
    this.scenes?.update(c.scenesDone, { extra: 'rendered' });
  }

  row(): void {}

  private stopped = false;

  /** Idempotent: a second MultiBar.stop() would move the cursor up over what was printed since. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.multi.stop();
  }
}

class Lines implements BatchSink {
  private last = '';
  update(c: BatchCounts): void {
    this.last = `[${c.rowsSaved + c.rowsFailed}/${c.rowsTotal}]`;
  }
  row(line: string): void {
    process.stderr.write(`${this.last} ${line}\n`);
  }
  stop(): void {}
}

class Silent implements BatchSink {
  update(): void {}
  row(): void {}
  stop(): void {}
}

export function batchProgress(opts: { quiet?: boolean; json?: boolean }): BatchSink {
  if (opts.quiet || opts.json) return new Silent();
  return process.stderr.isTTY ? new Bars() : new Lines();
}
