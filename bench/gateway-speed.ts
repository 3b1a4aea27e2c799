/**
 * Gateway speed (issue #7): commerce-graph's gateway as shipped against what a
 * user would otherwise deploy, side by side in one run, over the same
 * subgraphs and supergraph: a plain @apollo/gateway + @apollo/server, Hive
 * Gateway with request deduplication off and on, and a bare node:http server
 * answering a fixed body (Node's ceiling on this machine).
 *
 *   npx tsx bench/gateway-speed.ts [--duration 20] [--warmup 5] [--connections 50] [--quick] [--rounds 1]
 *     [--rows ours,apollo,hive,hive-dedup,node-http] [--queries storefront,deep,catalog]
 *     [--subgraphs replay|live] [--dist] [--redis] [--pglite]
 *     [--cpu-prof ours,apollo,…] [--stack-cpu-prof] [--cpu-prof-dir <dir>]
 *     [--skus 2000] [--customers 400] [--quiet-wait-s 120] [--stock-events 0]
 *
 * Processes: the stack (simulators and subgraphs, gateway-speed-stack.ts) and
 * the load (autocannon, http-load.ts) run on one core with this process; the
 * servers, one at a time and a fresh process for each query, run alone on the
 * other core (`taskset`). Every child runs as JavaScript built from the sources
 * at the start (bundle-entries.ts). Each server's answer is checked once
 * (no errors, the expected shape, the same data as the other gateways) before
 * it is measured: a warm-up, then the measured run.
 *
 * `--subgraphs replay` (the default): the gateways call a replay in front of
 * each subgraph (subgraph-replay.ts), which verifies their signatures and gives
 * back, byte for byte, what the subgraph answered the first time it was asked
 * that request, so the subgraphs cost next to nothing and the gateway is what
 * is measured. `--subgraphs live`: the gateways call the subgraphs themselves
 * (product cache on), which on two cores bound every row by the stack's core.
 *
 * `--stock-events N` (with `--redis`): N POS stock changes a second on the
 * storefront page's SKUs while each row is measured, through the ledger and
 * Redis to our gateway, whose response cache drops what they change.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { Principal } from '../lib/auth/claims.js';
import { hashClientSecret } from '../lib/auth/client-secret.js';
import { loadConfig, type SubgraphName } from '../lib/config.js';
import { projectRoot } from '../lib/project-root.js';
import { stop } from '../bin/ready-child.js';
import { now } from './clock.js';
import { renderProfileSummary, summarizeProfileFile, type ProfileSummary } from './cpu-profile-summary.js';
import { HttpLoadDriver } from './http-load-driver.js';
import { corePlan, pinSelf, spawnPinned } from './pinned-child.js';
import { describeMachine, sampleCores, sampleMachine, sampleProcess, waitForQuietMachine, type ProcessSample } from './proc-stats.js';
import { positive, zeroOrMore } from './flag-numbers.js';
import type { LoadRun, StackParams, StackStats } from './gateway-speed-protocol.js';
import { QUERIES, type BenchQuery, type QueryName } from './gateway-speed-queries.js';
import { comparisons, renderReport, type Measurement, type ReportInput } from './gateway-speed-report.js';
import { ENTRY_POINTS, ROWS, type RowContext, type RowDefinition, type RowName } from './gateway-speed-rows.js';
import { bundleEntries } from './bundle-entries.js';
import { StockEventStream, type StockEventTargets } from './stock-event-stream.js';
import { runBench } from './run-bench.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    rows: { type: 'string', default: ROWS.map((r) => r.name).join(',') },
    queries: { type: 'string', default: QUERIES.map((q) => q.name).join(',') },
    dist: { type: 'boolean', default: false },
    redis: { type: 'boolean', default: false },
    pglite: { type: 'boolean', default: false },
    subgraphs: { type: 'string', default: 'replay' },
    'cpu-prof': { type: 'string', default: '' },
    'stack-cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
    skus: { type: 'string', default: '2000' },
    customers: { type: 'string', default: '400' },
    'quiet-wait-s': { type: 'string', default: '120' },
    'stock-events': { type: 'string', default: '0' },
  },
});
const pick = <T extends { name: string }>(list: readonly T[], asked: string, flag: string): T[] => {
  const names = asked.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !list.some((x) => x.name === n));
  if (unknown.length > 0) throw new Error(`--${flag}: unknown ${unknown.join(', ')} (known: ${list.map((x) => x.name).join(', ')})`);
  return list.filter((x) => names.includes(x.name));
};
const options = {
  // --quick: a smoke run of a few seconds a row.
  durationS: positive(flags.duration ?? (flags.quick ? '3' : '20'), 'duration'),
  warmupS: positive(flags.warmup ?? (flags.quick ? '1' : '5'), 'warmup'),
  connections: Math.floor(positive(flags.connections, 'connections')),
  // Every row and query measured this many times, each round in a fresh server process and the rows in a rotated order; the median round is reported.
  rounds: Math.floor(positive(flags.rounds, 'rounds')),
  skus: Math.floor(positive(flags.skus, 'skus')),
  customers: Math.floor(positive(flags.customers, 'customers')),
  stockEventsPerSecond: zeroOrMore(flags['stock-events'], 'stock-events'),
};
if (options.stockEventsPerSecond > 0 && !flags.redis) throw new Error('--stock-events needs --redis: only Redis carries the stack\'s stock events to a gateway process');
if (flags.subgraphs !== 'replay' && flags.subgraphs !== 'live') throw new Error('--subgraphs must be replay or live');
const replay = flags.subgraphs === 'replay';
const rows = pick(ROWS, flags.rows, 'rows');
const queries = pick(QUERIES, flags.queries, 'queries');
// The one read of the environment: where services live, and PATH for children.
const env = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: flags.pglite ? undefined : (process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'),
  childEnv: { PATH: process.env.PATH ?? '' },
};
const root = projectRoot();
const runId = randomBytes(4).toString('hex');
const schema = `bench_gw_${runId}`;
// With --redis: the one Redis and stream the stack publishes stock events to and our gateway follows.
const redis: StackParams['redis'] = flags.redis ? { url: env.redisUrl, streamKey: `bench:gateway-speed:${runId}` } : undefined;
const archiveDirectory = join(tmpdir(), `commerce-graph-gateway-speed-${runId}-archive`);
/** Rows whose server runs under `--cpu-prof` for the storefront query (or the first query asked) of the first round; each profile is summarised over that measured run. */
const profiledRows = new Set(pick(ROWS, flags['cpu-prof'], 'cpu-prof').map((r) => r.name));
const cpuProfDir = profiledRows.size > 0 || flags['stack-cpu-prof'] ? (flags['cpu-prof-dir'] ?? join(tmpdir(), `commerce-graph-gateway-speed-${runId}-profiles`)) : undefined;
const command = ['npx tsx bench/gateway-speed.ts', ...process.argv.slice(2)].join(' ');

/** The partner of query (b): an OAuth client of our gateway with a secret of this run's, and the scopes partner-acme has in development. */
const partner = {
  id: 'partner-acme',
  secret: randomBytes(24).toString('hex'),
  scopes: ['inventory:read', 'customers:read', 'orders:read'],
  file: join(tmpdir(), `commerce-graph-gateway-speed-${runId}-clients.json`),
};
/** What our gateway derives from the partner's token, and what the peers (which cannot verify it) vouch for instead. */
const partnerPrincipal: Principal = { authenticated: true, subject: partner.id, issuer: loadConfig({}).auth.issuer, scopes: partner.scopes };

const notes: string[] = [
  `our gateway: bin/service.ts gateway in production mode, ${flags.dist ? 'from dist/ (tsc)' : 'built from the sources at the start of the run (esbuild, as every child here: no tsx in any measured process)'}, with bearer-token checks, rate limits (${flags.redis ? 'in Redis' : 'in process'}, buckets of 10^9 so nothing is refused), operation limits, Prometheus metrics, CSRF prevention and persisted queries on.`,
  `the peers cannot verify our bearer tokens: they sign every subgraph request for a fixed principal, anonymous for (a) and (c), and for (b) (any request with a token) the partner's (${partner.id}: ${partner.scopes.join(' ')}), the principal our gateway derives from the token it verifies.`,
  'Hive Gateway: createGatewayRuntime in a node:http server, as its CLI runs one worker; on Node 20 it runs with @whatwg-node/promise-helpers 1.3.2 and @whatwg-node/disposablestack 0.0.6 (npm overrides: the releases its packages ask for need Node 22).',
];
const children: ChildProcess[] = [];
let load: HttpLoadDriver | undefined;
let stackStarted = false;
let removeBundles: (() => void) | undefined;

/** `Bearer <token>` for the partner, from our gateway's own /oauth/token. */
async function bearerToken(gatewayUrl: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: partner.id, client_secret: partner.secret }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`our gateway refused the partner client: ${res.status} ${await res.text()}`);
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

/** What one row answered to one query, checked once before any load: a row must not be fast because it fails. */
interface Checked {
  problem?: string;
  text?: string;
  data?: unknown;
}

async function checkAnswer(row: RowDefinition, query: BenchQuery, url: string, headers: Record<string, string>, body: string, customerId: string): Promise<Checked> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    return { problem: `no answer: ${(err as Error).message}` };
  }
  const text = await res.text();
  if (res.status !== 200) return { problem: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  let answer: { data?: unknown; errors?: unknown[] };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return { problem: `not JSON: ${text.slice(0, 300)}` };
  }
  if (answer.errors?.length) return { problem: `errors: ${JSON.stringify(answer.errors).slice(0, 500)}` };
  if (answer.data === undefined || answer.data === null) return { problem: 'no data' };
  // The ceiling answers one fixed body, whatever it is asked.
  const problem = row.name === 'node-http' ? undefined : query.check(answer.data, customerId);
  return problem ? { problem } : { text, data: answer.data };
}

/** One measured run: the server's, the stack's, the load's and this process's CPU, every core's busy share, and the server's RSS every 100 ms. */
async function measure(row: RowName, query: QueryName, round: number, run: LoadRun, pids: Record<'server' | 'stack' | 'load' | 'orchestrator', number>, serverIdleRssKiB: number, statsUrl: string): Promise<Measurement> {
  const stackStats = async () => (await (await fetch(statsUrl)).json()) as StackStats;
  const statsBefore = await stackStats();
  const sampleAll = () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, sampleProcess(pid)])) as Record<keyof typeof pids, ProcessSample>;
  const before = sampleAll();
  const machineBefore = sampleMachine();
  const coresBefore = sampleCores();
  const startedAt = now();
  const windowStartUs = Number(process.hrtime.bigint() / 1000n);
  let peak = before.server.rssKiB;
  const poll = setInterval(() => {
    peak = Math.max(peak, sampleProcess(pids.server).rssKiB);
  }, 100);
  let result;
  try {
    result = await load!.run(run);
  } finally {
    clearInterval(poll);
  }
  const wallMs = now() - startedAt;
  const windowUs: [number, number] = [windowStartUs, Number(process.hrtime.bigint() / 1000n)];
  const after = sampleAll();
  const machineAfter = sampleMachine();
  const coresAfter = sampleCores();
  const statsAfter = await stackStats();
  const replays = (stats: StackStats) => Object.values(stats.replays).reduce((sum, r) => ({ hits: sum.hits + r.hits, misses: sum.misses + r.misses, refused: sum.refused + r.refused }), { hits: 0, misses: 0, refused: 0 });
  const [r0, r1] = [replays(statsBefore), replays(statsAfter)];
  // Through the replays, every call is a hit or a miss (a miss also reaches the subgraph); without them, the subgraphs count every call.
  const subgraphCalls = replay ? r1.hits + r1.misses - r0.hits - r0.misses : statsAfter.subgraphRequests - statsBefore.subgraphRequests;
  const pct = (ms: number) => (ms / wallMs) * 100;
  const cpu = (name: keyof typeof pids) => pct(after[name].cpuMs - before[name].cpuMs);
  const cpuPct = { server: cpu('server'), stack: cpu('stack'), load: cpu('load'), orchestrator: cpu('orchestrator'), other: 0 };
  cpuPct.other = Math.max(0, pct(machineAfter.busyMs - machineBefore.busyMs) - cpuPct.server - cpuPct.stack - cpuPct.load - cpuPct.orchestrator);
  return {
    row,
    query,
    round,
    load: result,
    wallMs,
    cpuPct,
    coreBusyPct: coresAfter.map((busy, i) => pct(busy - (coresBefore[i] ?? 0))),
    serverRssPeakKiB: Math.max(peak, after.server.rssKiB),
    serverIdleRssKiB,
    windowUs,
    subgraphCallsPerRequest: result.responses > 0 ? subgraphCalls / result.responses : undefined,
    ...(replay ? { replay: { misses: r1.misses - r0.misses, refused: r1.refused - r0.refused } } : {}),
  };
}

const progress = (line: string) => process.stderr.write(`${line}\n`);

interface RowProfile {
  row: RowName;
  file: string;
  during: string;
  summary: ProfileSummary;
}

/** The main thread's profile of a stopped server (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; workers write their own), over its measured run. */
function rowProfile(row: RowName, dir: string, measurements: Measurement[]): RowProfile | string {
  const file = readdirSync(dir).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)).sort().pop();
  const measured = measurements.findLast((m) => m.row === row && m.windowUs);
  if (!file || !measured) return `no CPU profile of ${row} over a measured run (${dir})`;
  return { row, file: join(dir, file), during: `its measured ${measured.query} run`, summary: summarizeProfileFile(join(dir, file), 25, measured.windowUs) };
}

async function main(): Promise<{ input: ReportInput; profiles: RowProfile[] }> {
  const cores = corePlan();
  if (cores) pinSelf(cores.rest);
  else notes.push('no taskset, or one core: the servers, the load and the stack share every core, so the figures mix them.');
  const busy = await waitForQuietMachine(Number(flags['quiet-wait-s']) * 1000, (pct) => progress(`waiting for a quiet machine (${pct.toFixed(0)} % busy)…`));
  if (busy) notes.push(busy);

  progress('building the child processes\' JavaScript…');
  const bundles = await bundleEntries(root, ENTRY_POINTS, runId);
  removeBundles = bundles.remove;
  const entry = (source: string) => {
    const file = bundles.files[source];
    if (!file) throw new Error(`${source} is not one of the benchmark's entry points`);
    return file;
  };

  const signingSecret = randomBytes(32).toString('hex');
  const posWebhookSecret = randomBytes(24).toString('hex');
  const stackParams: StackParams = {
    signingSecret,
    posWebhookSecret,
    databaseUrl: env.databaseUrl,
    schema,
    archiveDirectory,
    skus: options.skus,
    customers: options.customers,
    ...(redis ? { redis } : {}),
  };
  progress('starting the stack (simulators, subgraphs)…');
  stackStarted = true;
  const stackProfile = flags['stack-cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(cpuProfDir!, 'stack')] : [];
  const stack = await spawnPinned({ nodeArgs: [...stackProfile, entry('bench/gateway-speed-stack.ts'), JSON.stringify(stackParams)], cores: cores?.rest, env: env.childEnv, cwd: root, name: 'stack', timeoutMs: 300_000 });
  children.push(stack.child);
  const subgraphUrls = (replay ? stack.ready.replayUrls : stack.ready.subgraphUrls) as Record<SubgraphName, string>;
  const statsUrl = `${stack.ready.url}/stats`;
  const customerId = stack.ready.customerId as string;
  if (!env.databaseUrl) notes.push('the subgraphs keep their data in embedded PGlite, in the stack process.');
  notes.push(
    replay
      ? 'subgraphs: replayed (--subgraphs replay): each gateway calls a replay per subgraph that checks its signature and answers, byte for byte, what the live subgraph answered the first time that request was asked (in the check or the warm-up); the stack CPU column is the replays\' cost.'
      : 'subgraphs: live (--subgraphs live), product cache on: every gateway call runs the subgraph (resolvers, PostgreSQL, simulators) on the load\'s core.',
  );
  // The inventory subgraph's opening load may still be settling in PostgreSQL.
  const busyAfterStart = await waitForQuietMachine(60_000);
  if (busyAfterStart) notes.push(busyAfterStart);

  writeFileSync(partner.file, JSON.stringify({ clients: [{ id: partner.id, name: 'Benchmark partner', secretHash: await hashClientSecret(partner.secret), scopes: partner.scopes }] }));
  load = await HttpLoadDriver.start(entry('bench/http-load.ts'), root, env.childEnv, cores?.rest);
  children.push(load.child);

  const ctx: RowContext = {
    subgraphUrls,
    signingSecret,
    posWebhookSecret,
    clientsFile: partner.file,
    partnerClientId: partner.id,
    principalWithToken: partnerPrincipal,
    ...(redis ? { redis } : {}),
    dist: flags.dist,
    ceilingBody: '',
    childEnv: env.childEnv,
    entry,
  };
  // Peers only look at whether a token is there: without our gateway in the run, any will do.
  let authorization = 'Bearer not-verified-by-this-row';
  const measurements: Measurement[] = [];
  const profiles: RowProfile[] = [];
  const firstAnswers = new Map<QueryName, { row: RowName; data: string; text: string }>();
  // Query by query, each row in a server process of its own, so the rows compared on one query run minutes apart, not tens of
  // minutes (this machine drifts); round r runs the rows in the order rotated by r - 1, so no row always runs first, or last.
  const schedule = Array.from({ length: options.rounds }, (_, r) =>
    queries.flatMap((query) => rows.map((_, i) => ({ round: r + 1, query, row: rows[(i + r) % rows.length]! }))),
  ).flat();
  for (const { round, query, row } of schedule) {
    const tag = `${row.name}${options.rounds > 1 ? ` (round ${round})` : ''} / ${query.name}`;
    const skip = (notRun: string) => {
      progress(`${tag}: not measured: ${notRun}`);
      measurements.push({ row: row.name, query: query.name, round, notRun });
    };
    if (row.name === 'node-http' && !ctx.ceilingBody) {
      // No storefront answer yet (--queries without it): this query's answer, from the first row that gave one.
      const first = firstAnswers.get(query.name);
      if (!first) {
        skip('no gateway row answered, so there is no body to serve');
        continue;
      }
      ctx.ceilingBody = first.text;
      notes.push(`the node:http ceiling answers the ${query.name} answer (${first.text.length} bytes): no storefront answer was measured.`);
    }
    const profiled = profiledRows.has(row.name) && round === 1 && query.name === (queries.some((q) => q.name === 'storefront') ? 'storefront' : queries[0]!.name);
    let server: { child: ChildProcess; url: string };
    try {
      const { nodeArgs, env: rowEnv } = row.spawn(ctx);
      const profiling = profiled ? ['--cpu-prof', '--cpu-prof-dir', join(cpuProfDir!, row.name)] : [];
      const started = await spawnPinned({ nodeArgs: [...profiling, ...nodeArgs], env: rowEnv, cores: cores?.server, cwd: root, name: row.name });
      children.push(started.child);
      server = { child: started.child, url: started.ready.url };
      if (row.issuesTokens) authorization = await bearerToken(server.url);
    } catch (err) {
      skip(`did not start: ${(err as Error).message}`);
      continue;
    }
    try {
      const graphqlUrl = row.graphqlUrl(server.url);
      const pid = server.child.pid as number;
      const idleRss = sampleProcess(pid).rssKiB;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(query.withToken ? { authorization } : {}) };
      const body = query.body(customerId);
      const checked = await checkAnswer(row, query, graphqlUrl, headers, body, customerId);
      if (checked.problem) {
        skip(`wrong answer: ${checked.problem}`);
        continue;
      }
      if (row.name !== 'node-http') {
        // Every gateway should give the same data: a difference means one of them is not doing the same work.
        const data = JSON.stringify(checked.data);
        const first = firstAnswers.get(query.name);
        if (!first) firstAnswers.set(query.name, { row: row.name, data, text: checked.text! });
        else if (first.data !== data && first.row !== row.name) notes.push(`${tag}: the answer's data differs from ${first.row}'s.`);
        if (query.name === 'storefront' && !ctx.ceilingBody) ctx.ceilingBody = checked.text!;
      }
      // Others may share this machine: their work must not land in one row's figures and not in another's.
      const busy = await waitForQuietMachine(30_000);
      if (busy) notes.push(`${tag}: ${busy}`);
      const run: LoadRun = { url: graphqlUrl, body, headers, connections: options.connections, durationS: options.warmupS };
      await load.run(run);
      const events = options.stockEventsPerSecond > 0 ? new StockEventStream({ ...(stack.ready.stockEvents as Omit<StockEventTargets, 'secret'>), secret: posWebhookSecret }, options.stockEventsPerSecond, `${runId}-${row.name}-${query.name}-${round}`) : undefined;
      events?.start();
      let m: Measurement;
      try {
        m = await measure(row.name, query.name, round, { ...run, durationS: options.durationS }, { server: pid, stack: stack.child.pid!, load: load.pid, orchestrator: process.pid }, idleRss, statsUrl);
      } finally {
        const injected = await events?.close();
        if (injected) notes.push(`${tag}: ${injected.applied} of ${injected.sent} stock events applied while measured.`);
      }
      measurements.push(m);
      if (m.cpuPct!.other > 20) notes.push(`${tag}: processes outside the benchmark took ${m.cpuPct!.other.toFixed(0)} % of a core during the measured run: its figures are disturbed.`);
      if (m.replay?.refused) notes.push(`${tag}: the replays refused ${m.replay.refused} unsigned or badly signed subgraph requests.`);
      if (m.replay?.misses) notes.push(`${tag}: ${m.replay.misses} subgraph requests were new to the replays during the measured run (passed on to the subgraphs).`);
      const l = m.load!;
      progress(`${tag}: ${l.rps.toFixed(0)} RPS, p50 ${l.latency.p50.toFixed(2)} ms, p99 ${l.latency.p99.toFixed(2)} ms, bad ${l.non2xx + l.errors + l.graphqlErrors}, server CPU ${m.cpuPct!.server.toFixed(0)} %, stack CPU ${m.cpuPct!.stack.toFixed(0)} %`);
    } finally {
      await stop(server.child);
    }
    // Written as the server exits.
    if (profiled) {
      const profile = rowProfile(row.name, join(cpuProfDir!, row.name), measurements);
      if (typeof profile === 'string') notes.push(profile);
      else profiles.push(profile);
    }
  }
  const input: ReportInput = { rows, queries, measurements, ...(cores ? { cores } : {}), notes };
  if (profiledRows.size > 0 || flags['stack-cpu-prof']) notes.push('CPU profiling (--cpu-prof, --stack-cpu-prof) slows the profiled processes: take throughput figures from a run without it.');
  if (flags['stack-cpu-prof']) notes.push(`the stack's CPU profile is written to ${join(cpuProfDir!, 'stack')} as it exits (summary: npx tsx bench/cpu-profile-summary.ts <file> --window <a measurement's windowUs>).`);
  return { input, profiles };
}

/** Children first (servers, then the load, then the stack), then what the run left in PostgreSQL, Redis and the temp folder. */
async function cleanUp(): Promise<void> {
  rmSync(partner.file, { force: true });
  for (const child of children.reverse()) await stop(child);
  rmSync(archiveDirectory, { recursive: true, force: true });
  removeBundles?.();
  if (stackStarted && env.databaseUrl) {
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
  }
  if (redis) {
    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    await client.del(redis.streamKey).finally(() => client.quit());
  }
}

await runBench(async () => {
  const machine = describeMachine();
  const { input, profiles } = await main();
  const head = [
    `gateway speed: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${options.connections} connections, pipelining 1, ${options.warmupS} s warm-up + ${options.durationS} s a row and query${options.rounds > 1 ? `, ${options.rounds} rounds (the median shown)` : ''}`,
    input.cores ? `cores: each server alone on cpu ${input.cores.server}; load, stack and orchestrator on cpu ${input.cores.rest}` : 'cores: not pinned',
    `command: ${command}`,
    '',
  ];
  process.stdout.write(`${head.join('\n')}${renderReport(input)}\n`);
  for (const profile of profiles) process.stdout.write(`\n${profile.row} during ${profile.during} (${profile.file}):\n${renderProfileSummary(profile.summary)}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(root, 'bench', 'results', 'gateway-speed.json'),
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        command,
        config: { ...options, subgraphs: flags.subgraphs, rows: rows.map((r) => r.name), queries: queries.map((q) => q.name), gatewayFrom: flags.dist ? 'dist (tsc)' : 'sources bundled by esbuild', rateLimits: flags.redis ? 'redis' : 'in process', database: env.databaseUrl ? 'postgresql' : 'pglite' },
        cores: input.cores ?? null,
        rows: rows.map(({ name, title }) => ({ name, title })),
        queries: queries.map(({ name, title }) => ({ name, title })),
        measurements: input.measurements,
        comparisons: comparisons(input),
        notes: input.notes,
        ...(profiles.length > 0 ? { cpuProfiles: profiles } : {}),
      },
      null,
      2,
    )}\n`,
  );
}, cleanUp);

