import { readFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Database, Queryable } from '../lib/db/database.js';
import { sampleMachine } from './proc-stats.js';

const MiB = 1024 * 1024;

// A full collection before each run, so one run's garbage is not the next one's baseline (or its headroom);
// `npm run` gives no way to pass --expose-gc, so the flag is set here.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Peak resident memory of this process over a run, above what it held when
 * the run began (after a full collection), and the peak of V8's heap in use (the live objects and the
 * garbage not yet collected: what tells retained records from buffers).
 * Sampled every 50 ms; on Linux the kernel's own high-water mark (VmHWM, reset
 * through /proc/self/clear_refs) is read as well, so a peak that came and went
 * between two samples, or while a long synchronous JSON.parse blocked the
 * timer, still counts.
 */
export class MemoryPeak {
  private readonly start: NodeJS.MemoryUsage;
  private rss: number;
  private heap: number;
  private readonly hwmReset: boolean;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    collectGarbage();
    this.start = process.memoryUsage();
    this.rss = this.start.rss;
    this.heap = this.start.heapUsed;
    this.hwmReset = resetHighWaterMark();
    this.timer = setInterval(() => this.sample(), 50);
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heap = Math.max(this.heap, m.heapUsed);
  }

  /** Growth in MiB: peaks minus the figures at start. */
  stop(): { rssGrowthMiB: number; heapGrowthMiB: number } {
    clearInterval(this.timer);
    this.sample();
    const hwm = this.hwmReset ? highWaterMark() : 0;
    return { rssGrowthMiB: (Math.max(this.rss, hwm) - this.start.rss) / MiB, heapGrowthMiB: (this.heap - this.start.heapUsed) / MiB };
  }
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function highWaterMark(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU of this process and busy share of the whole machine (PostgreSQL included) over a run. */
export class CpuMeter {
  private readonly cpu = process.cpuUsage();
  private readonly machine = sampleMachine();
  private readonly started = performance.now();

  stop(): { processCpuMs: number; machineBusyPct: number } {
    const cpu = process.cpuUsage(this.cpu);
    const wallMs = performance.now() - this.started;
    return { processCpuMs: (cpu.user + cpu.system) / 1000, machineBusyPct: ((sampleMachine().busyMs - this.machine.busyMs) / wallMs) * 100 };
  }
}

export interface StatementTime {
  statement: string;
  calls: number;
  ms: number;
}

/**
 * The same database, timing every statement the sync sends (its text
 * shortened to name it): where the time of a phase goes, without touching the
 * sync's code. The wrapper costs one clock read per statement.
 */
export function timedDatabase(db: Database): { db: Database; statements: () => StatementTime[] } {
  const times = new Map<string, StatementTime>();
  const timed = (q: Queryable): Queryable => ({
    query: async (sql, params, options) => {
      const started = performance.now();
      try {
        return await q.query(sql, params, options);
      } finally {
        const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
        const t = times.get(statement) ?? { statement, calls: 0, ms: 0 };
        t.calls++;
        t.ms += performance.now() - started;
        times.set(statement, t);
      }
    },
  });
  return {
    db: { ...db, query: timed(db).query, transaction: (fn) => db.transaction((tx) => fn(timed(tx))) },
    statements: () => [...times.values()].sort((a, b) => b.ms - a.ms),
  };
}
