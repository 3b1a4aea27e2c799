import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SyncProgressEvent } from './sync-progress.js';
import { syncProgressReporter } from './sync-progress-reporter.js';

/** A stream that keeps what is written to it (synchronously: `write` calls back at once), optionally posing as a terminal. */
function capture(tty = false): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  if (tty) Object.assign(stream, { isTTY: true, columns: 120 });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

/** A sync of two warehouses as the job reports it: running totals, chunk by chunk. */
function* sync(): Generator<SyncProgressEvent> {
  yield { phase: 'fetch', warehouseId: 'WH-1', attempt: 1, bytes: 400, done: false };
  yield { phase: 'fetch', warehouseId: 'WH-1', attempt: 2, bytes: 800_000, done: false };
  yield { phase: 'fetch', warehouseId: 'WH-1', attempt: 2, bytes: 1_572_864, done: true };
  yield { phase: 'fetch', warehouseId: 'WH-2', attempt: 1, bytes: 2_048, done: true };
  yield { phase: 'archive', path: 's3://erp-backups/inventory-sync/2026-11-23/inventory_20261123_020000.json' };
  for (let records = 30_000; records < 250_000; records += 30_000) yield { phase: 'stage', warehouseId: 'WH-1', records, invalid: 3, done: false };
  yield { phase: 'stage', warehouseId: 'WH-1', records: 250_123, invalid: 7, done: true };
  yield { phase: 'stage', warehouseId: 'WH-2', records: 10, invalid: 0, done: true };
  yield { phase: 'stage', warehouseId: 'WH-2', records: 10, invalid: 0, done: true };
  yield { phase: 'apply', itemsChanged: 5_000, events: 5_000, done: false };
  yield { phase: 'apply', itemsChanged: 12_345, events: 12_346, done: true };
}

const LINES = [
  'ERP sync WH-1: fetched 1.5 MB (attempt 2)',
  'ERP sync WH-2: fetched 2.0 KB (attempt 1)',
  'ERP sync: archived the raw payload to s3://erp-backups/inventory-sync/2026-11-23/inventory_20261123_020000.json',
  'ERP sync WH-1: staging, 120,000 records so far, 3 invalid',
  'ERP sync WH-1: staging, 210,000 records so far, 3 invalid',
  'ERP sync WH-1: staged 250,123 records, 7 invalid',
  'ERP sync WH-2: staged 10 records, 0 invalid',
  'ERP sync: applied, 12,345 items changed, 12,346 events',
];

describe('syncProgressReporter, not interactive', () => {
  it('writes one line per finished step and one per 100,000 staged records, none per chunk', () => {
    const { stream, text } = capture();
    const reporter = syncProgressReporter({ stream });
    for (const event of sync()) reporter.listener(event);
    reporter.stop();
    reporter.stop();
    expect(text()).toBe(LINES.map((line) => `${line}\n`).join(''));
  });

  it('logs the same lines, with the event, to a logger when given one', () => {
    const { stream, text } = capture();
    const logged: Array<Record<string, any>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const reporter = syncProgressReporter({ stream, interactive: false, logger });
    for (const event of sync()) reporter.listener(event);
    expect(text()).toBe('');
    expect(logged.map((l) => l.msg)).toEqual(LINES);
    expect(logged[0]).toMatchObject({ level: 30, progress: { phase: 'fetch', warehouseId: 'WH-1', attempt: 2, bytes: 1_572_864 } });
  });
});

describe('syncProgressReporter, interactive', () => {
  it('draws a line per warehouse and one for the apply step, and stops once', () => {
    const { stream, text } = capture(true);
    const reporter = syncProgressReporter({ stream });
    for (const event of sync()) reporter.listener(event);
    reporter.stop();
    const drawn = text();
    expect(drawn).toContain('WH-1 stage done | fetched 1.5 MB (attempt 2) | staged 250,123, invalid 7');
    expect(drawn).toContain('WH-2 stage done | fetched 2.0 KB (attempt 1) | staged 10, invalid 0');
    expect(drawn).toContain('apply done | items changed 12,345, events 12,346');
    expect(drawn).toContain('archived the raw payload to s3://erp-backups/');

    reporter.stop();
    reporter.listener({ phase: 'apply', itemsChanged: 1, events: 1, done: true });
    expect(text()).toBe(drawn);
  });

  it('draws nothing, and stops cleanly, when no step was reported', () => {
    const { stream, text } = capture(true);
    const reporter = syncProgressReporter({ stream, interactive: true });
    reporter.stop();
    reporter.stop();
    expect(text()).toBe('');
  });
});
