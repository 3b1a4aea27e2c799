import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../lib/project-root.js';
import type { LoadResult } from './gateway-speed-protocol.js';
import type { QueryName } from './gateway-speed-queries.js';
import type { RowName } from './gateway-speed-rows.js';
import { fmt, table } from './report.js';

/** Issue #7's targets, as ratios measured in one run. */
export const TARGETS = {
  storefrontRpsVsApollo: 3,
  storefrontRpsVsHive: 1,
  storefrontP99VsApollo: 0.5,
  catalogRpsVsNodeHttp: 0.2,
  rssVsApollo: 1,
} as const;

/** The issue's own figures (a similar two-subgraph query, its run and settings), for context only. */
export const ISSUE_ANCHORS = { apolloRps: 780, hiveDedupRps: 1_130 } as const;

/** One row × query: what the load saw, and what /proc said about every process around it. */
export interface Measurement {
  row: RowName;
  query: QueryName;
  /** 1-based; every round starts each row's server afresh. */
  round: number;
  /** Why there is no figure: the row did not start, or answered wrong. */
  notRun?: string;
  load?: LoadResult;
  wallMs?: number;
  /** CPU over the measured run, % of one core, by process; `other` is the rest of the machine (PostgreSQL, the kernel, anyone else). */
  cpuPct?: { server: number; stack: number; load: number; orchestrator: number; other: number };
  /** Each core's busy share over the measured run, %. */
  coreBusyPct?: number[];
  /** The server's resident memory: sampled every 100 ms over the measured run (peak), and once it listened, before its warm-up (idle). */
  serverRssPeakKiB?: number;
  serverIdleRssKiB?: number;
  /** The measured run on the monotonic clock, µs: where a CPU profile's samples belong. */
  windowUs?: [number, number];
  /** Subgraph requests the server sent per answer it gave (deduplication sends fewer). */
  subgraphCallsPerRequest?: number;
  /** Through the replays: requests they had not seen (passed on) and requests they refused, over the measured run. */
  replay?: { misses: number; refused: number };
}

export interface ReportInput {
  rows: ReadonlyArray<{ name: RowName; title: string }>;
  queries: ReadonlyArray<{ name: QueryName; title: string }>;
  measurements: Measurement[];
  /** `taskset -c` lists, when the processes were pinned. */
  cores?: { server: string; rest: string };
  notes: string[];
}

export interface Comparison {
  what: string;
  ours?: number;
  reference?: number;
  ratio?: number;
  target: string;
  verdict: 'met' | 'MISSED' | 'not run' | '-';
}

/** The measured rounds of one row and query, slowest first. */
const roundsOf = (input: ReportInput, row: RowName, query: QueryName) =>
  input.measurements.filter((m) => m.row === row && m.query === query && m.load).sort((a, b) => a.load!.rps - b.load!.rps);
/** The round a row and query are reported by: the median by RPS (the lower one of an even count). */
const find = (input: ReportInput, row: RowName, query: QueryName): Measurement | undefined => {
  const rounds = roundsOf(input, row, query);
  return rounds[Math.floor((rounds.length - 1) / 2)];
};
const rps = (m: Measurement | undefined) => m?.load?.rps;
const p99 = (m: Measurement | undefined) => m?.load?.latency.p99;
/** A row's peak RSS over every query it ran. */
const peakRss = (input: ReportInput, row: RowName) => {
  const peaks = input.measurements.filter((m) => m.row === row && m.serverRssPeakKiB !== undefined).map((m) => m.serverRssPeakKiB as number);
  return peaks.length > 0 ? Math.max(...peaks) : undefined;
};

function compare(what: string, ours: number | undefined, reference: number | undefined, target: string, ok?: (ratio: number) => boolean): Comparison {
  const ratio = ours !== undefined && reference !== undefined && reference > 0 ? ours / reference : undefined;
  const verdict = !ok ? '-' : ratio === undefined ? 'not run' : ok(ratio) ? 'met' : 'MISSED';
  return { what, ours, reference, ratio, target, verdict };
}

/** The ratios issue #7's targets name (verdicts), and a few more for context (no verdict). */
export function comparisons(input: ReportInput): Comparison[] {
  const at = (row: RowName, query: QueryName) => find(input, row, query);
  // The same targets for our row with its response cache on (label '') and off.
  const storefrontTargets = (row: RowName, label: string) => [
    compare(`storefront RPS${label}: ours / Apollo`, rps(at(row, 'storefront')), rps(at('apollo', 'storefront')), `>= x${TARGETS.storefrontRpsVsApollo}`, (r) => r >= TARGETS.storefrontRpsVsApollo),
    compare(`storefront RPS${label}: ours / Hive (dedup off)`, rps(at(row, 'storefront')), rps(at('hive', 'storefront')), `>= x${TARGETS.storefrontRpsVsHive}`, (r) => r >= TARGETS.storefrontRpsVsHive),
    compare(`storefront p99 ms${label}: ours / Apollo`, p99(at(row, 'storefront')), p99(at('apollo', 'storefront')), `<= x${TARGETS.storefrontP99VsApollo}`, (r) => r <= TARGETS.storefrontP99VsApollo),
  ];
  const rssTarget = (row: RowName, label: string) =>
    compare(`peak RSS MiB under load${label}: ours / Apollo`, mib(peakRss(input, row)), mib(peakRss(input, 'apollo')), `<= x${TARGETS.rssVsApollo}`, (r) => r <= TARGETS.rssVsApollo);
  return [
    ...storefrontTargets('ours', ''),
    compare('catalog RPS: ours / node:http', rps(at('ours', 'catalog')), rps(at('node-http', 'catalog')), `>= x${TARGETS.catalogRpsVsNodeHttp}`, (r) => r >= TARGETS.catalogRpsVsNodeHttp),
    rssTarget('ours', ''),
    // The storefront targets again without the response cache: what a storefront gets between stock changes is not all it gets.
    ...storefrontTargets('ours-uncached', ', cache off'),
    rssTarget('ours-uncached', ', cache off'),
    compare('storefront RPS: ours / Hive (dedup on)', rps(at('ours', 'storefront')), rps(at('hive-dedup', 'storefront')), 'context'),
    compare('deep RPS: ours / Apollo', rps(at('ours', 'deep')), rps(at('apollo', 'deep')), 'context'),
    compare('catalog RPS: ours / Apollo', rps(at('ours', 'catalog')), rps(at('apollo', 'catalog')), 'context'),
    compare('storefront RPS: Apollo here / the issue\'s Apollo', rps(at('apollo', 'storefront')), ISSUE_ANCHORS.apolloRps, 'context'),
    compare('storefront RPS: Hive dedup on here / the issue\'s', rps(at('hive-dedup', 'storefront')), ISSUE_ANCHORS.hiveDedupRps, 'context'),
  ];
}

/** The server's CPU time per answer: its cost, whether or not its core was saturated. */
const cpuMsPerRequest = (m: Measurement) => (m.cpuPct && m.load && m.load.rps > 0 ? (m.cpuPct.server * 10) / m.load.rps : undefined);
const mib = (kib: number | undefined) => (kib === undefined ? undefined : kib / 1024);
const int = (v: number | undefined) => fmt(v, 0);

/** Which side saturated: the server's core (the gateway is what was measured), the load's core (it is not), or neither. */
export function boundBy(m: Measurement, cores: ReportInput['cores']): string {
  if (!cores || !m.coreBusyPct) return '-';
  const server = m.coreBusyPct[Number(cores.server)] ?? 0;
  const rest = m.coreBusyPct.filter((_, i) => String(i) !== cores.server);
  const restBusy = rest.some((busy) => busy >= 90);
  if (server >= 90) return restBusy ? 'both cores' : 'server core';
  return restBusy ? 'load core' : 'neither';
}

export function renderReport(input: ReportInput): string {
  const multiRound = input.measurements.some((m) => m.round > 1);
  const header = ['query', 'row', 'RPS', ...(multiRound ? ['RPS over rounds'] : []), 'x Apollo', 'p50 ms', 'p99 ms', 'non-2xx / err / GraphQL err', 'RSS idle / peak MiB', 'server CPU %', 'server CPU ms / req', 'stack CPU %', 'load CPU %', 'other CPU %', `busy % ${input.cores ? `cpu${input.cores.server} / cpu${input.cores.rest}` : 'per core'}`, 'bound by', 'subgraph calls / req'];
  const body: string[][] = [];
  for (const query of input.queries) {
    const apollo = rps(find(input, 'apollo', query.name));
    for (const row of input.rows) {
      const m = find(input, row.name, query.name);
      if (!m?.load) {
        const asked = input.measurements.some((x) => x.row === row.name && x.query === query.name);
        body.push([query.name, row.title, asked ? 'not run' : 'not asked', ...header.slice(3).map(() => '')]);
        continue;
      }
      const rounds = roundsOf(input, row.name, query.name);
      const { load, cpuPct } = m;
      body.push([
        query.name,
        row.title,
        int(load.rps),
        ...(multiRound ? [`${int(rounds[0]!.load!.rps)}-${int(rounds[rounds.length - 1]!.load!.rps)}`] : []),
        apollo ? `x${(load.rps / apollo).toFixed(2)}` : '-',
        fmt(load.latency.p50, 2),
        fmt(load.latency.p99, 2),
        `${int(load.non2xx)} / ${int(load.errors)} / ${int(load.graphqlErrors)}`,
        `${fmt(mib(m.serverIdleRssKiB), 0)} / ${fmt(mib(m.serverRssPeakKiB), 0)}`,
        fmt(cpuPct?.server, 0),
        fmt(cpuMsPerRequest(m), 2),
        fmt(cpuPct?.stack, 0),
        fmt(cpuPct?.load, 0),
        fmt(cpuPct?.other, 0),
        m.coreBusyPct?.map((c) => c.toFixed(0)).join(' / ') ?? '-',
        boundBy(m, input.cores),
        fmt(m.subgraphCallsPerRequest, 2),
      ]);
    }
  }
  const out = [table(header, body), ''];
  const cmp = comparisons(input);
  const num = (v: number | undefined) => (v === undefined ? '-' : v >= 100 ? int(v) : fmt(v, 2));
  out.push(table(['target / comparison', 'ours', 'reference', 'ratio', 'target', 'verdict'], cmp.map((c) => [c.what, num(c.ours), num(c.reference), c.ratio === undefined ? '-' : `x${c.ratio.toFixed(2)}`, c.target, c.verdict])));
  const failures = input.measurements.flatMap((m) => (m.load?.firstBadBody ? [`${m.row} / ${m.query}: first answer counted as a GraphQL error: ${m.load.firstBadBody}`] : []));
  const notRun = input.measurements.flatMap((m) => (m.notRun ? [`${m.row} / ${m.query}${m.round > 1 ? ` (round ${m.round})` : ''} not run: ${m.notRun}`] : []));
  const notes = [...input.notes, ...notRun, ...failures];
  if (notes.length > 0) out.push('', ...notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

/** README's tables (Markdown): one row per gateway and query, then the targets. */
export function renderMarkdown(input: ReportInput): string {
  const multiRound = input.measurements.some((m) => m.round > 1);
  const lines = [
    `| query | row | RPS${multiRound ? ' (range over rounds)' : ''} | x Apollo | p50 ms | p99 ms | errors | RSS idle / peak MiB | gateway CPU % | CPU ms / req | stack CPU % | subgraph calls / req |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const query of input.queries) {
    const apollo = rps(find(input, 'apollo', query.name));
    for (const row of input.rows) {
      const m = find(input, row.name, query.name);
      if (!m?.load) {
        lines.push(`| ${query.name} | ${row.title} | not run | | | | | | | | | |`);
        continue;
      }
      const rounds = roundsOf(input, row.name, query.name);
      const range = multiRound ? ` (${int(rounds[0]!.load!.rps)}-${int(rounds[rounds.length - 1]!.load!.rps)})` : '';
      const errors = m.load.non2xx + m.load.errors + m.load.graphqlErrors;
      lines.push(
        `| ${query.name} | ${row.title} | ${int(m.load.rps)}${range} | ${apollo ? `x${(m.load.rps / apollo).toFixed(2)}` : '-'} | ${fmt(m.load.latency.p50, 1)} | ${fmt(m.load.latency.p99, 1)} | ${int(errors)} | ${fmt(mib(m.serverIdleRssKiB), 0)} / ${fmt(mib(m.serverRssPeakKiB), 0)} | ${fmt(m.cpuPct?.server, 0)} | ${fmt(cpuMsPerRequest(m), 2)} | ${fmt(m.cpuPct?.stack, 0)} | ${fmt(m.subgraphCallsPerRequest, 2)} |`,
      );
    }
  }
  lines.push('', '| target | ours | reference | ratio | verdict |', '| --- | ---: | ---: | ---: | --- |');
  const num = (v: number | undefined) => (v === undefined ? '-' : v >= 100 ? int(v) : fmt(v, 2));
  for (const c of comparisons(input).filter((c) => c.verdict !== '-')) {
    lines.push(`| ${c.what} (${c.target}) | ${num(c.ours)} | ${num(c.reference)} | ${c.ratio === undefined ? '-' : `x${c.ratio.toFixed(2)}`} | ${c.verdict === 'MISSED' ? '**missed**' : c.verdict} |`);
  }
  return lines.join('\n');
}

// `npx tsx bench/gateway-speed-report.ts [results.json]`: a run's tables again, as Markdown for README.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = JSON.parse(readFileSync(process.argv[2] ?? join(projectRoot(), 'bench', 'results', 'gateway-speed.json'), 'utf8')) as ReportInput;
  process.stdout.write(`${renderMarkdown(results)}\n`);
}
