import type { LatencySummary } from './percentiles.js';
import type { PhaseResult } from './protocol.js';

/** Published figures this benchmark is read against. */
export const ANCHORS = {
  /** websocket-shootout: Node `ws` broadcasting to 13,000 clients, p95. */
  shootoutP95Ms: 476,
  shootoutClients: 13_000,
  /** Hasura: 10,000 live queries on 2 vCPU, average latency under 1 s. */
  hasuraMeanMs: 1_000,
} as const;

export const TARGETS = { subscribers: 10_000, broadcastP99Ms: 500, filteredP99Ms: 50 } as const;

/** One measured phase with what the orchestrator sampled around it. */
export interface MeasuredPhase {
  result: PhaseResult;
  wallMs: number;
  /** CPU ms spent in the phase, by process (gateway or anchor as `server`, `load`, `stack`). */
  cpuMs: Record<string, number>;
  /** Resident memory of the server at the end of the phase, and before its clients connected. */
  serverRssKiB: number;
  serverIdleRssKiB: number;
  /** Busy share of the whole machine over the phase, % of one core (200 = both cores). */
  machineBusyPct: number;
}

export interface ReportInput {
  subscribers: number;
  phases: Partial<Record<'anchor' | 'broadcast' | 'filtered', MeasuredPhase>>;
  connect?: { wallMs: number; connected: number };
  /** The gateway with every client connected and subscribed, and nothing happening. */
  idle?: { wallMs: number; cpuMs: Record<string, number>; serverRssKiB: number };
  requestedRate?: number;
  notes: string[];
}

export const fmt = (v: number | undefined, digits = 1) => (v === undefined || Number.isNaN(v) ? '-' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const int = (v: number | undefined) => fmt(v, 0);
const pct = (cpuMs: number | undefined, wallMs: number) => (cpuMs === undefined ? undefined : (cpuMs / wallMs) * 100);
const lat = (s: LatencySummary | undefined, key: keyof LatencySummary) => fmt(s?.[key]);

const rows: Array<[string, (p: MeasuredPhase) => string]> = [
  ['subscribers', (p) => int(p.result.subscribers)],
  ['events', (p) => int(p.result.events)],
  ['delivered / expected', (p) => `${int(p.result.delivered)} / ${int(p.result.expected)}`],
  ['lost', (p) => int(p.result.lost)],
  ['webhook deliveries refused', (p) => (p.result.webhook ? int(p.result.webhookFailures) : '-')],
  ['duplicates / unexpected / errors', (p) => `${int(p.result.duplicates)} / ${int(p.result.unexpected)} / ${int(p.result.errors)}`],
  ['latency p50 ms', (p) => lat(p.result.latency, 'p50')],
  ['latency p95 ms', (p) => lat(p.result.latency, 'p95')],
  ['latency p99 ms', (p) => lat(p.result.latency, 'p99')],
  ['latency max ms', (p) => lat(p.result.latency, 'max')],
  ['latency mean ms', (p) => lat(p.result.latency, 'mean')],
  ['in Redis stream p50 / p99 ms', (p) => (p.result.streamed ? `${lat(p.result.streamed, 'p50')} / ${lat(p.result.streamed, 'p99')}` : '-')],
  ['stream to first receipt p50 / p99 ms', (p) => (p.result.fromStream ? `${lat(p.result.fromStream, 'p50')} / ${lat(p.result.fromStream, 'p99')}` : '-')],
  ['first receipt p50 / p99 ms', (p) => `${lat(p.result.firstReceipt, 'p50')} / ${lat(p.result.firstReceipt, 'p99')}`],
  ['last receipt p50 / p99 ms', (p) => `${lat(p.result.lastReceipt, 'p50')} / ${lat(p.result.lastReceipt, 'p99')}`],
  ['webhook round trip p50 / p99 ms', (p) => (p.result.webhook ? `${lat(p.result.webhook, 'p50')} / ${lat(p.result.webhook, 'p99')}` : '-')],
  ['events/s', (p) => fmt((p.result.events * 1000) / p.wallMs)],
  ['deliveries/s', (p) => int((p.result.delivered * 1000) / p.wallMs)],
  ['server CPU % (one core = 100)', (p) => fmt(pct(p.cpuMs.server, p.wallMs))],
  ['server CPU ms / 1,000 deliveries', (p) => fmt(((p.cpuMs.server ?? NaN) * 1000) / p.result.delivered, 2)],
  ['server RSS MiB', (p) => fmt(p.serverRssKiB / 1024)],
  ['server RSS / subscriber KiB', (p) => fmt(p.serverRssKiB / p.result.subscribers, 2)],
  ['  over idle / subscriber KiB', (p) => fmt((p.serverRssKiB - p.serverIdleRssKiB) / p.result.subscribers, 2)],
  ['load process CPU %', (p) => fmt(pct(p.cpuMs.load, p.wallMs))],
  ['load event-loop delay p99 / max ms', (p) => `${fmt(p.result.loadLoopDelayMs?.p99)} / ${fmt(p.result.loadLoopDelayMs?.max)}`],
  ['stack process CPU % (subgraphs, sims)', (p) => fmt(pct(p.cpuMs.stack, p.wallMs))],
  ['machine busy % (2 cores = 200)', (p) => fmt(p.machineBusyPct)],
  ['  of which outside the measured processes', (p) => fmt(p.machineBusyPct - (pct(Object.values(p.cpuMs).reduce((a, b) => a + b, 0), p.wallMs) ?? 0))],
  ['connections closed by server', (p) => int(p.result.closedClients)],
  ['wall time s', (p) => fmt(p.wallMs / 1000, 2)],
];

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const ratio = (ours: number | undefined, reference: number | undefined) =>
  ours === undefined || reference === undefined || Number.isNaN(ours) || Number.isNaN(reference) ? '-' : `x${(ours / reference).toFixed(2)}`;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not run' : ok ? 'met' : 'MISSED');

/** Ratios of ours against targets and anchors (below 1: better than the reference). */
export function comparisons(input: ReportInput): Array<{ what: string; ours: string; reference: string; ratio: string; verdict: string }> {
  const { anchor, broadcast, filtered } = input.phases;
  const b = broadcast?.result.latency;
  const f = filtered?.result.latency;
  const lost = broadcast || filtered ? (broadcast?.result.lost ?? 0) + (filtered?.result.lost ?? 0) : undefined;
  const lines = [
    { what: 'subscribers on one gateway', ours: int(input.connect?.connected), reference: `${int(TARGETS.subscribers)} target`, ratio: ratio(input.connect?.connected, TARGETS.subscribers), verdict: verdict(input.connect && input.connect.connected >= TARGETS.subscribers) },
    { what: 'broadcast p99 ms', ours: fmt(b?.p99), reference: `${TARGETS.broadcastP99Ms} target`, ratio: ratio(b?.p99, TARGETS.broadcastP99Ms), verdict: verdict(b && b.p99 < TARGETS.broadcastP99Ms) },
    { what: 'filtered p99 ms', ours: fmt(f?.p99), reference: `${TARGETS.filteredP99Ms} target`, ratio: ratio(f?.p99, TARGETS.filteredP99Ms), verdict: verdict(f && f.p99 < TARGETS.filteredP99Ms) },
    { what: 'lost deliveries', ours: int(lost), reference: '0 target', ratio: '-', verdict: verdict(lost === undefined ? undefined : lost === 0) },
    { what: 'broadcast p95 ms vs websocket-shootout', ours: fmt(b?.p95), reference: `${ANCHORS.shootoutP95Ms} (ws, ${int(ANCHORS.shootoutClients)} clients)`, ratio: ratio(b?.p95, ANCHORS.shootoutP95Ms), verdict: verdict(b && b.p95 <= ANCHORS.shootoutP95Ms) },
    { what: 'broadcast p95 ms vs in-run ws anchor', ours: fmt(b?.p95), reference: `${fmt(anchor?.result.latency.p95)} (ws, ${int(anchor?.result.subscribers)} clients)`, ratio: ratio(b?.p95, anchor?.result.latency.p95), verdict: '-' },
    { what: 'broadcast mean ms vs Hasura', ours: fmt(b?.mean), reference: `< ${ANCHORS.hasuraMeanMs} (10,000 live queries, 2 vCPU)`, ratio: ratio(b?.mean, ANCHORS.hasuraMeanMs), verdict: verdict(b && b.mean < ANCHORS.hasuraMeanMs) },
    { what: 'in-run ws anchor p95 vs websocket-shootout', ours: fmt(anchor?.result.latency.p95), reference: `${ANCHORS.shootoutP95Ms}`, ratio: ratio(anchor?.result.latency.p95, ANCHORS.shootoutP95Ms), verdict: '-' },
  ];
  if (filtered && input.requestedRate) {
    const achieved = (filtered.result.events * 1000) / filtered.wallMs;
    lines.push({ what: 'filtered events/s (incl. final drain)', ours: fmt(achieved), reference: `${input.requestedRate} requested`, ratio: ratio(achieved, input.requestedRate), verdict: '-' });
  }
  return lines;
}

export function renderReport(input: ReportInput): string {
  const columns = (
    [
      ['ws anchor broadcast', input.phases.anchor],
      ['gateway broadcast', input.phases.broadcast],
      ['gateway filtered', input.phases.filtered],
    ] as const
  ).filter(([, p]) => p) as Array<[string, MeasuredPhase]>;
  const out: string[] = [];
  out.push(`stockChanged fan-out benchmark: ${int(input.subscribers)} subscribers`);
  if (input.connect) out.push(`connect + subscribe: ${int(input.connect.connected)} clients in ${fmt(input.connect.wallMs / 1000, 2)} s`);
  if (input.idle) {
    const { wallMs, cpuMs, serverRssKiB } = input.idle;
    out.push(`idle, all subscribed: gateway CPU ${fmt(pct(cpuMs.server, wallMs))} %, RSS ${fmt(serverRssKiB / 1024)} MiB (${fmt(serverRssKiB / input.subscribers, 2)} KiB per subscriber); load CPU ${fmt(pct(cpuMs.load, wallMs))} %, stack CPU ${fmt(pct(cpuMs.stack, wallMs))} %`);
  }
  out.push('');
  out.push(table(['', ...columns.map(([name]) => name)], rows.map(([label, cell]) => [label, ...columns.map(([, p]) => cell(p))])));
  out.push('');
  const cmp = comparisons(input);
  out.push(table(['target / anchor', 'ours', 'reference', 'ratio', 'verdict'], cmp.map((c) => [c.what, c.ours, c.reference, c.ratio, c.verdict])));
  const notes = [...input.notes, ...columns.flatMap(([name, p]) => (p.result.firstError ? [`${name}: first error: ${p.result.firstError}`] : []))];
  if (notes.length > 0) out.push('', ...notes.map((n) => `note: ${n}`));
  return out.join('\n');
}
