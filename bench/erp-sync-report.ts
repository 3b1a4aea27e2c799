import type { StatementTime } from './erp-sync-measure.js';
import type { RowByRowResult } from './erp-sync-row-by-row.js';

/** Where one sync's wall time went, from its progress events (ms). */
export interface Phases {
  /** run() to the last payload on disk: job row, GET /warehouses, GET /inventory. */
  fetch: number;
  /** The archive written and stored. */
  archive: number;
  /** Old archives pruned, BEGIN, staging table, payload streamed into it. */
  stage: number;
  /** Duplicates, drift, upserts, events, COMMIT. */
  apply: number;
  /** The job row completed, alerts. */
  record: number;
}

export interface SyncRun {
  name: string;
  size: number;
  database: 'PostgreSQL' | 'PGlite';
  erp: 'simulator' | 'stand-in';
  /** `changes`: the first sync after ~10% of the ERP's levels changed; `unchanged`: the one after it. */
  pass: 'changes' | 'unchanged';
  wallMs: number;
  jobDurationMs: number;
  apiLatencyMs: number;
  skusProcessed: number;
  itemsChanged: number;
  eventsEmitted: number;
  payloadBytes: number;
  rssGrowthMiB: number;
  heapGrowthMiB: number;
  processCpuMs: number;
  machineBusyPct: number;
  phases: Phases;
  statements: StatementTime[];
}

export interface RowByRowRun extends RowByRowResult {
  size: number;
  wallMs: number;
  rssGrowthMiB: number;
  heapGrowthMiB: number;
  processCpuMs: number;
  machineBusyPct: number;
}

export interface Comparison {
  what: string;
  ours: string;
  limit: string;
  ratio: string;
  verdict: string;
  /** The run it judges, by name, when it judges one. */
  run?: string;
}

const fmt = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const int = (v: number | undefined) => fmt(v, 0);
const mib = (bytes: number) => fmt(bytes / 1024 / 1024);
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${fmt(ms / 1000, 2)} s`);

export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** Each target against the run it is about; a run not made is `not run`. */
export function comparisons(runs: SyncRun[], rowByRow: RowByRowRun | undefined): Comparison[] {
  const find = (size: number, database: SyncRun['database'], pass: SyncRun['pass']) => runs.find((r) => r.size === size && r.database === database && r.pass === pass);
  const against = (what: string, run: SyncRun | undefined, limitMs: number): Comparison => ({
    what,
    ours: seconds(run?.wallMs),
    limit: `< ${seconds(limitMs)}`,
    ratio: run ? `x${(run.wallMs / limitMs).toFixed(3)}` : '-',
    verdict: run ? (run.wallMs < limitMs ? 'met' : 'MISSED') : 'not run',
    ...(run ? { run: run.name } : {}),
  });
  const out: Comparison[] = [];
  for (const pass of ['changes', 'unchanged'] as const) {
    const label = pass === 'changes' ? '10% changed' : 'nothing changed';
    out.push(against(`50k SKUs, PostgreSQL, ${label}`, find(50_000, 'PostgreSQL', pass), 2_000));
    out.push(against(`50k SKUs, PGlite, ${label}`, find(50_000, 'PGlite', pass), 10_000));
    out.push(against(`1M SKUs, PostgreSQL, ${label}`, find(1_000_000, 'PostgreSQL', pass), 60_000));
  }
  out.push(against('spec 002: 50k SKUs within 15 min (ours, PostgreSQL)', find(50_000, 'PostgreSQL', 'changes'), 15 * 60_000));
  if (rowByRow) {
    out.push({
      what: `spec 002: ${int(rowByRow.size)} SKUs within 15 min (row-by-row plan)`,
      ours: seconds(rowByRow.wallMs),
      limit: `< ${seconds(15 * 60_000)}`,
      ratio: `x${(rowByRow.wallMs / (15 * 60_000)).toFixed(3)}`,
      verdict: rowByRow.wallMs < 15 * 60_000 ? 'met' : 'MISSED',
    });
    const ours = find(rowByRow.size, 'PostgreSQL', 'changes');
    out.push({
      what: `ours / row-by-row, ${int(rowByRow.size)} SKUs, PostgreSQL`,
      ours: seconds(ours?.wallMs),
      limit: seconds(rowByRow.wallMs),
      ratio: ours ? `x${(ours.wallMs / rowByRow.wallMs).toFixed(3)} (${fmt(rowByRow.wallMs / ours.wallMs)} times faster)` : '-',
      verdict: '-',
    });
  }
  // Bounded: the largest run's peak growth far below what the row-by-row plan holds for the same payload (the body, then
  // the parsed array, measured on its own run and scaled by record count). Below ~50 MiB the process's own noise decides it.
  const largest = runs.filter((r) => r.database === 'PostgreSQL').sort((a, b) => b.size - a.size)[0];
  if (largest && rowByRow) {
    const heldMiB = (rowByRow.parsedHeapMiB / rowByRow.records) * largest.size + largest.payloadBytes / 1024 / 1024;
    const same = runs.filter((r) => r.size === largest.size && r.database === 'PostgreSQL');
    const peak = Math.max(...same.map((r) => r.rssGrowthMiB));
    out.push({
      what: `memory bounded: ${int(largest.size)} SKUs, PostgreSQL, peak RSS growth`,
      ours: `${fmt(peak)} MiB (heap +${fmt(Math.max(...same.map((r) => r.heapGrowthMiB)))})`,
      limit: `< 1/4 of ${fmt(heldMiB)} MiB (payload held whole)`,
      ratio: `x${(peak / heldMiB).toFixed(3)}`,
      verdict: heldMiB < 50 ? 'too small to tell' : peak < heldMiB / 4 ? 'met' : 'MISSED',
    });
  }
  return out;
}

export function renderReport(input: { runs: SyncRun[]; rowByRow?: RowByRowRun; notes: string[] }): string {
  const { runs, rowByRow } = input;
  const out: string[] = ['ERP inventory sync benchmark (spec 002): FULL syncs end to end, one warehouse', ''];
  const header = ['run', 'ERP', 'wall', 'job ms', 'API latency ms', 'SKUs processed', 'items changed', 'events', 'payload MiB', 'peak RSS +MiB', 'peak heap +MiB', 'node CPU ms', 'machine busy %'];
  const body = runs.map((r) => [
    r.name,
    r.erp,
    seconds(r.wallMs),
    int(r.jobDurationMs),
    int(r.apiLatencyMs),
    int(r.skusProcessed),
    int(r.itemsChanged),
    int(r.eventsEmitted),
    mib(r.payloadBytes),
    fmt(r.rssGrowthMiB),
    fmt(r.heapGrowthMiB),
    int(r.processCpuMs),
    int(r.machineBusyPct),
  ]);
  if (rowByRow) {
    body.push([
      `${int(rowByRow.size)} PostgreSQL row-by-row, 10% changed`,
      'as above',
      seconds(rowByRow.wallMs),
      '-',
      int(rowByRow.fetchMs),
      int(rowByRow.records),
      int(rowByRow.levelsWritten),
      int(rowByRow.eventsEmitted),
      mib(rowByRow.payloadBytes),
      fmt(rowByRow.rssGrowthMiB),
      fmt(rowByRow.heapGrowthMiB),
      int(rowByRow.processCpuMs),
      int(rowByRow.machineBusyPct),
    ]);
  }
  out.push(table(header, body), '');
  out.push(
    table(
      ['where the wall time went, ms', 'fetch', 'archive', 'stage', 'apply', 'record'],
      runs.map((r) => [r.name, int(r.phases.fetch), int(r.phases.archive), int(r.phases.stage), int(r.phases.apply), int(r.phases.record)]),
    ),
  );
  if (rowByRow) {
    out.push(
      `row-by-row: fetch ${int(rowByRow.fetchMs)} ms, JSON.parse ${int(rowByRow.parseMs)} ms (${fmt(rowByRow.parsedHeapMiB)} MiB of heap), ` +
        `transaction ${int(rowByRow.applyMs)} ms for ${int(rowByRow.statements)} statements (${fmt((rowByRow.applyMs * 1000) / rowByRow.statements)} µs each)`,
    );
  }
  out.push('', table(['target', 'ours', 'limit', 'ratio', 'verdict'], comparisons(runs, rowByRow).map((c) => [c.what, c.ours, c.limit, c.ratio, c.verdict])));
  if (input.notes.length > 0) out.push('', ...input.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

/** The statements that took longest in one run: printed for a run that missed its target. */
export function renderStatements(run: SyncRun, top = 8): string {
  return table(
    [`slowest statements: ${run.name}`, 'calls', 'ms'],
    run.statements.slice(0, top).map((s) => [s.statement, int(s.calls), int(s.ms)]),
  );
}
