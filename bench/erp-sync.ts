/**
 * ERP inventory sync benchmark (spec 002). For each size: an ERP with that
 * many SKUs in one warehouse, ~10% of its levels counted anew, a ledger seeded
 * with the ERP's previous levels, then two FULL syncs timed end to end (fetch,
 * archive, stage, diff, apply, events): the first applies the changes, the
 * second finds nothing to do. The same on the embedded PGlite at 50k, and the
 * row-by-row plan spec 002's sequence diagram draws, from the same state.
 *
 *   npx tsx bench/erp-sync.ts [--sizes 50000,1000000] [--row-by-row-size 50000]
 *     [--pglite-size 50000] [--no-pglite] [--erp auto|simulator|stand-in]
 *     [--change-every 10] [--quiet-wait-s 120] [--statements]
 *
 * `--row-by-row-size 0` skips the row-by-row plan; `--statements` prints every
 * run's slowest SQL statements (a run that misses its target always gets them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Database } from '../lib/db/database.js';
import { createLogger } from '../lib/logger.js';
import { projectRoot } from '../lib/project-root.js';
import { ErpSync } from '../subgraphs/inventory/erp-sync/erp-sync.js';
import { localArchiveStore } from '../subgraphs/inventory/erp-sync/local-archive-store.js';
import type { SyncAlerts } from '../subgraphs/inventory/erp-sync/sync-alert.js';
import { changeErpLevels, startBenchErp, type BenchErp } from './erp-sync-erp-server.js';
import { openPgliteLedger, openPostgresLedger, seedLedger, type BenchLedger } from './erp-sync-ledger.js';
import { CpuMeter, MemoryPeak, timedDatabase } from './erp-sync-measure.js';
import { comparisons, renderReport, renderStatements, type Phases, type RowByRowRun, type SyncRun } from './erp-sync-report.js';
import { runRowByRow } from './erp-sync-row-by-row.js';
import { waitForQuietMachine } from './proc-stats.js';
import { runBench } from './run-bench.js';

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50000,1000000' },
    'row-by-row-size': { type: 'string', default: '50000' },
    'pglite-size': { type: 'string', default: '50000' },
    'no-pglite': { type: 'boolean', default: false },
    erp: { type: 'string', default: 'auto' },
    'change-every': { type: 'string', default: '10' },
    'quiet-wait-s': { type: 'string', default: '120' },
    statements: { type: 'boolean', default: false },
  },
});
const count = (name: keyof typeof flags, value = String(flags[name])) => {
  const v = Number(value);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, got ${value}`);
  return v;
};
const sizes = String(flags.sizes).split(',').map((s) => count('sizes', s.trim())).filter((n) => n > 0);
const rowByRowSize = count('row-by-row-size');
const pgliteSize = flags['no-pglite'] ? 0 : count('pglite-size');
const changeEvery = Math.max(1, count('change-every'));
if (!['auto', 'simulator', 'stand-in'].includes(String(flags.erp))) throw new Error('--erp must be auto, simulator or stand-in');

/** Above this the simulator's generator is too slow and too big (see benchDataset): `auto` takes the stand-in. */
const SIMULATOR_MAX_SKUS = 200_000;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const logger = createLogger('bench', 'silent');
const noAlerts: SyncAlerts = { send: async () => undefined };
const notes: string[] = [];
let archiveDir: string | undefined;

const short = (n: number) => (n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n % 1_000 === 0 ? `${n / 1_000}k` : String(n));
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Uses an ERP server or a ledger and closes it (a ledger's schema dropped) whether or not `use` fails. */
async function track<T extends { close(): Promise<void> }>(open: Promise<T>, use: (it: T) => Promise<void>): Promise<void> {
  const it = await open;
  try {
    await use(it);
  } finally {
    await it.close();
  }
}

function startErp(size: number): Promise<BenchErp> {
  const simulator = flags.erp === 'simulator' || (flags.erp === 'auto' && size <= SIMULATOR_MAX_SKUS);
  return startBenchErp(simulator ? 'simulator' : 'stand-in', size);
}

async function listWarehouses(erp: BenchErp): Promise<Array<{ id: string; name: string }>> {
  const res = await fetch(`${erp.url}/warehouses`, { headers: { authorization: `Bearer ${erp.token}` } });
  if (!res.ok) throw new Error(`GET /warehouses answered ${res.status}`);
  return (await res.json()) as Array<{ id: string; name: string }>;
}

/** One FULL sync, `run` to `done`, with its phases, memory, CPU and statements measured. */
async function timeSync(ledger: Database, erp: BenchErp, run: Pick<SyncRun, 'name' | 'database' | 'pass'>): Promise<SyncRun> {
  const traced = timedDatabase(ledger);
  const sync = new ErpSync({
    db: traced.db,
    download: { url: erp.url, token: erp.token, attemptTimeoutMs: 300_000, retryDelaysMs: [] },
    listWarehouses: () => listWarehouses(erp),
    archive: localArchiveStore({ directory: archiveDir! }),
    alerts: noAlerts,
    logger,
  });
  const at: Partial<Record<'fetched' | 'archived' | 'staged' | 'applied', number>> = {};
  let payloadBytes = 0;
  const memory = new MemoryPeak();
  const cpu = new CpuMeter();
  const started = performance.now();
  try {
    const outcome = await sync.run({
      mode: 'FULL',
      triggeredBy: 'bench',
      onProgress: (e) => {
        const now = performance.now();
        if (e.phase === 'fetch' && e.done) {
          payloadBytes += e.bytes;
          at.fetched = now;
        } else if (e.phase === 'archive') at.archived = now;
        else if (e.phase === 'stage' && e.done) at.staged = now;
        else if (e.phase === 'apply' && e.done) at.applied = now;
      },
    });
    if (outcome.status !== 'started') throw new Error(`${run.name}: another sync job is running`);
    const job = await outcome.done;
    const wallMs = performance.now() - started;
    const { rssGrowthMiB, heapGrowthMiB } = memory.stop();
    const { processCpuMs, machineBusyPct } = cpu.stop();
    if (job.status !== 'completed') throw new Error(`${run.name}: the sync failed: ${job.errorMessage}`);
    const mark = (k: keyof typeof at) => at[k] ?? NaN;
    const phases: Phases = {
      fetch: mark('fetched') - started,
      archive: mark('archived') - mark('fetched'),
      stage: mark('staged') - mark('archived'),
      apply: mark('applied') - mark('staged'),
      record: started + wallMs - mark('applied'),
    };
    return {
      ...run,
      size: erp.size,
      erp: erp.kind,
      wallMs,
      jobDurationMs: job.durationMs ?? NaN,
      apiLatencyMs: job.apiLatencyMs ?? NaN,
      skusProcessed: job.skusProcessed,
      itemsChanged: job.itemsChanged,
      eventsEmitted: job.eventsEmitted,
      payloadBytes,
      rssGrowthMiB,
      heapGrowthMiB,
      processCpuMs,
      machineBusyPct,
      phases,
      statements: traced.statements().slice(0, 12),
    };
  } finally {
    memory.stop();
    await sync.close();
  }
}

/** A fresh ledger seeded with the ERP's old levels, then the sync with changes and the one without. */
async function syncTwice(database: SyncRun['database'], open: () => Promise<BenchLedger>, erp: BenchErp, changed: number): Promise<SyncRun[]> {
  const runs: SyncRun[] = [];
  await track(open(), async (ledger) => {
    const seedMs = await seedLedger(ledger.db, erp);
    say(`${short(erp.size)} ${database}: ledger seeded in ${(seedMs / 1000).toFixed(1)} s`);
    for (const pass of ['changes', 'unchanged'] as const) {
      const name = `${short(erp.size)} ${database}, ${pass === 'changes' ? '10% changed' : 'nothing changed'}`;
      const run = await timeSync(ledger.db, erp, { name, database, pass });
      say(`${name}: ${(run.wallMs / 1000).toFixed(2)} s`);
      const expected = pass === 'changes' ? changed : 0;
      if (run.itemsChanged !== expected || run.eventsEmitted !== expected || run.skusProcessed !== erp.size) {
        notes.push(`${name}: expected ${expected} changes and events over ${erp.size} SKUs, the job says ${run.itemsChanged} / ${run.eventsEmitted} over ${run.skusProcessed}.`);
      }
      runs.push(run);
    }
  });
  return runs;
}

/** The row-by-row plan on PostgreSQL, from the same opening state as ours. */
async function timeRowByRow(erp: BenchErp, changed: number): Promise<RowByRowRun> {
  let out: RowByRowRun | undefined;
  await track(openPostgresLedger(databaseUrl), async (ledger) => {
    await seedLedger(ledger.db, erp);
    const memory = new MemoryPeak();
    const cpu = new CpuMeter();
    const started = performance.now();
    const result = await runRowByRow(ledger.db, erp);
    const wallMs = performance.now() - started;
    out = { ...result, size: erp.size, wallMs, ...memory.stop(), ...cpu.stop() };
    say(`${short(erp.size)} PostgreSQL row-by-row: ${(wallMs / 1000).toFixed(2)} s`);
    if (result.eventsEmitted !== changed) notes.push(`row-by-row: expected ${changed} events, wrote ${result.eventsEmitted}.`);
  });
  return out!;
}

async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const postgres = await postgresVersion();
  const busy = await waitForQuietMachine(count('quiet-wait-s') * 1000, (pct) => say(`waiting for a quiet machine (${pct.toFixed(0)}% busy)`));
  if (busy) notes.push(busy);
  archiveDir = await mkdtemp(join(os.tmpdir(), 'erp-sync-bench-'));
  const runs: SyncRun[] = [];
  let rowByRow: RowByRowRun | undefined;
  const erpKinds = new Map<number, string>();
  const allSizes = [...new Set([...sizes, pgliteSize, rowByRowSize])].filter((n) => n > 0).sort((a, b) => a - b);
  for (const size of allSizes) {
    await track(startErp(size), async (erp) => {
      erpKinds.set(size, erp.kind);
      const changed = await changeErpLevels(erp, changeEvery);
      say(`${short(size)}: ERP ${erp.kind} up, ${changed} levels changed`);
      if (sizes.includes(size)) runs.push(...(await syncTwice('PostgreSQL', () => openPostgresLedger(databaseUrl), erp, changed)));
      if (size === pgliteSize) runs.push(...(await syncTwice('PGlite', openPgliteLedger, erp, changed)));
      if (size === rowByRowSize) rowByRow = await timeRowByRow(erp, changed);
    });
  }
  notes.push(
    `ERP: ${[...erpKinds].map(([size, kind]) => `${short(size)} ${kind}`).join(', ')}; each in a child process, as a real ERP is another machine (stand-in: bench/erp-sync-erp-server.ts, streamed; the simulator's generator takes ~7 s and ~770 MB at 1M SKUs, and it answers with one string).`,
    'peak RSS growth is this process only (PostgreSQL runs apart; PGlite runs inside it, so its figure includes the embedded database).',
  );

  const report = { runs, notes, ...(rowByRow ? { rowByRow } : {}) };
  const out = [renderReport(report)];
  const missed = new Set(comparisons(runs, rowByRow).flatMap((c) => (c.verdict === 'MISSED' && c.run ? [c.run] : [])));
  for (const run of runs) if (flags.statements || missed.has(run.name)) out.push('', renderStatements(run));
  process.stdout.write(`${out.join('\n')}\n`);

  const cpus = os.cpus();
  const results = {
    at: new Date().toISOString(),
    machine: { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, node: process.version, postgres },
    config: { sizes, rowByRowSize, pgliteSize, erp: flags.erp, changeEvery },
    ...report,
    comparisons: comparisons(runs, rowByRow),
  };
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'erp-sync.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await runBench(main, async () => {
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});
