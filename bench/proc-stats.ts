import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Linux's USER_HZ: /proc reports CPU time in these ticks on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

export interface ProcessSample {
  /** User + system CPU time so far, ms. */
  cpuMs: number;
  rssKiB: number;
}

/** CPU time and resident memory of one process, from /proc (the gateway child, the anchor, the load). */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssKiB: Number(rss?.[1] ?? NaN) };
}

/** Busy and total CPU time of the whole machine so far, ms over all cores: tells whether the box itself was saturated. */
export function sampleMachine(): { busyMs: number; totalMs: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
  return { busyMs: ((total - idle) * 1000) / TICKS_PER_SECOND, totalMs: (total * 1000) / TICKS_PER_SECOND };
}

/**
 * Others may share this machine (test suites, builds): waits until it is
 * quiet (under 25 % busy) so their CPU is not in our figures; resolves with a
 * note for the report if it never is within `maxWaitMs`.
 */
export async function waitForQuietMachine(maxWaitMs: number, onWait?: (busyPct: number) => void): Promise<string | undefined> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = sampleMachine();
    await sleep(2_000);
    const busy = ((sampleMachine().busyMs - before.busyMs) / 2_000) * 100;
    if (busy < 25) return undefined;
    if (Date.now() > deadline) return `the machine was ${busy.toFixed(0)}% busy (of ${cpus().length * 100}) just before the run: other work shares these cores and inflates the numbers.`;
    onWait?.(busy);
  }
}

/** Busy CPU time of each core so far, ms (cpu0, cpu1, …): tells which core was saturated, the gateway's or the load's. */
export function sampleCores(): number[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const ticks = line.trim().split(/\s+/).slice(1).map(Number);
      const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
      return ((ticks.reduce((a, b) => a + b, 0) - idle) * 1000) / TICKS_PER_SECOND;
    });
}

/** CPU model, core count, Node and kernel versions: what a run's figures belong to. */
export function describeMachine(): { cpuModel: string; cores: number; node: string; kernel: string } {
  const list = cpus();
  return { cpuModel: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version, kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() };
}
