import cliProgress from 'cli-progress';
import type { Logger } from '../../../lib/logger.js';
import type { SyncProgressEvent, SyncProgressListener } from './sync-progress.js';

export interface SyncProgressReporterOptions {
  /** Where bars and progress lines are written. @default process.stderr */
  stream?: NodeJS.WriteStream;
  /**
   * Redrawn bars (cli-progress) rather than one line per step. Bars are meant
   * for a terminal; forced on another stream, they are redrawn every 2 s.
   * @default stream.isTTY
   */
  interactive?: boolean;
  /**
   * When not interactive, progress lines go to this logger (info, with the
   * event's fields) instead of `stream`: for a job whose output is JSON logs.
   * @default undefined (text lines on `stream`)
   */
  logger?: Logger;
}

export interface SyncProgressReporter {
  listener: SyncProgressListener;
  /** Draws the bars one last time and leaves the terminal as it was. Safe to call twice. */
  stop(): void;
}

/** Staged records between two progress lines for one warehouse, when not interactive. */
const STAGE_LINE_EVERY = 100_000;

// Counts in events are running totals (per warehouse, and per attempt for fetch bytes), so the last event of a kind says it all.
const WAREHOUSE_FORMAT = '{warehouse} {phase} | fetched {fetched} (attempt {attempt}) | staged {records}, invalid {invalid}';
const APPLY_FORMAT = 'apply {phase} | items changed {changed}, events {events}';

/**
 * Shows an ERP sync's progress: on a terminal, one redrawn line per
 * warehouse plus one for the apply step; elsewhere, a line per meaningful step
 * (a fetch, the archive, a stage or the apply done, every 100,000 staged
 * records), never one per chunk. Call `stop()` when the sync ends, failed or
 * not: the bars' redraw timer keeps the process alive until then.
 */
export function syncProgressReporter(options: SyncProgressReporterOptions = {}): SyncProgressReporter {
  const stream = options.stream ?? process.stderr;
  const interactive = options.interactive ?? stream.isTTY === true;
  return interactive ? barsReporter(stream) : linesReporter(stream, options.logger);
}

function barsReporter(stream: NodeJS.WriteStream): SyncProgressReporter {
  // noTTYOutput: a caller who forces bars onto a pipe gets them, just not animated.
  // No gracefulExit: its SIGINT listener would stop Ctrl-C from ending the process.
  const bars = new cliProgress.MultiBar({ stream, noTTYOutput: true });
  const lines = new Map<string, cliProgress.SingleBar>();
  let stopped = false;

  const line = (key: string, format: string, initial: object) => {
    let bar = lines.get(key);
    if (!bar) lines.set(key, (bar = bars.create(1, 0, initial, { format })));
    return bar;
  };
  const phase = (event: { phase: string; done: boolean }) => (event.done ? `${event.phase} done` : `${event.phase}...`);

  return {
    listener(event) {
      if (stopped) return;
      switch (event.phase) {
        case 'fetch':
        case 'stage': {
          const bar = line(`warehouse ${event.warehouseId}`, WAREHOUSE_FORMAT, { warehouse: event.warehouseId, fetched: '-', attempt: '-', records: '-', invalid: '-' });
          bar.update(
            event.phase === 'fetch'
              ? { phase: phase(event), fetched: bytes(event.bytes), attempt: event.attempt }
              : { phase: phase(event), records: count(event.records), invalid: count(event.invalid) },
          );
          break;
        }
        case 'archive':
          // Above the bars, at their next redraw; straight out when there are none yet.
          if (lines.size) bars.log(`archived the raw payload to ${event.path}\n`);
          else stream.write(`archived the raw payload to ${event.path}\n`);
          break;
        case 'apply':
          line('apply', APPLY_FORMAT, {}).update({ phase: phase(event), changed: count(event.itemsChanged), events: count(event.events) });
          break;
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (!lines.size) return; // nothing drawn: nothing to finish
      bars.update(); // prints what was logged since the last redraw
      bars.stop();
    },
  };
}

function linesReporter(stream: NodeJS.WriteStream, logger: Logger | undefined): SyncProgressReporter {
  const said = new Set<string>();
  const nextStageLine = new Map<string, number>();
  const say = (event: SyncProgressEvent, text: string) => {
    if (logger) logger.info({ progress: event }, text);
    else stream.write(`${text}\n`);
  };
  // One line per phase and warehouse: a repeated "done" (a re-fetch) is not news.
  const once = (key: string, event: SyncProgressEvent, text: string) => {
    if (said.has(key)) return;
    said.add(key);
    say(event, text);
  };

  return {
    listener(event) {
      switch (event.phase) {
        case 'fetch':
          if (event.done) once(`fetch ${event.warehouseId}`, event, `ERP sync ${event.warehouseId}: fetched ${bytes(event.bytes)} (attempt ${event.attempt})`);
          break;
        case 'archive':
          once('archive', event, `ERP sync: archived the raw payload to ${event.path}`);
          break;
        case 'stage':
          if (event.done) {
            once(`stage ${event.warehouseId}`, event, `ERP sync ${event.warehouseId}: staged ${count(event.records)} records, ${count(event.invalid)} invalid`);
          } else if (event.records >= (nextStageLine.get(event.warehouseId) ?? STAGE_LINE_EVERY)) {
            nextStageLine.set(event.warehouseId, (Math.floor(event.records / STAGE_LINE_EVERY) + 1) * STAGE_LINE_EVERY);
            say(event, `ERP sync ${event.warehouseId}: staging, ${count(event.records)} records so far, ${count(event.invalid)} invalid`);
          }
          break;
        case 'apply':
          if (event.done) once('apply', event, `ERP sync: applied, ${count(event.itemsChanged)} items changed, ${count(event.events)} events`);
          break;
      }
    },
    stop() {},
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** Bytes in binary units, as terminals and file sizes usually show them: `512 B`, `1.5 KB`, `12.3 MB`. */
function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
