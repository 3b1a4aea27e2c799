/**
 * Fan-out benchmark of `stockChanged`: N graphql-ws subscribers on one gateway
 * process, stock changes injected through the POS webhook, next to a bare `ws`
 * broadcast anchor measured in the same run.
 *
 *   npx tsx bench/stock-fanout.ts [--subscribers 10000] [--broadcasts 20]
 *     [--filtered-seconds 10] [--warmup-seconds 3] [--rate 200] [--per-store 50] [--anchor-only] [--no-anchor]
 *     [--skus 200] [--batch 200] [--timeout-ms 10000] [--quiet-wait-s 300]
 *     [--dist] [--gateway-cpu-prof] [--load-cpu-prof] [--event-fields-only]
 *
 * Processes: this one runs the stack (simulators, subgraphs; they publish
 * stock events to Redis Streams), a gateway child follows the stream and holds
 * the subscribers, an anchor child is the bare `ws` server, and the load child
 * opens every client and injects the events, so one clock times each delivery.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { RunningBackends } from '../bin/start-stack.js';
import { POS_WEBHOOK_PATH } from '../subgraphs/inventory/webhooks/pos-webhook-route.js';
import { hashClientSecret } from '../lib/auth/client-secret.js';
import { loadConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { projectRoot } from '../lib/project-root.js';
import { spawnReady, stop } from '../bin/ready-child.js';
import { now } from './clock.js';
import { LoadDriver } from './load-driver.js';
import { sampleMachine, sampleProcess, waitForQuietMachine, type ProcessSample } from './proc-stats.js';
import type { Command, LoadParams } from './protocol.js';
import { comparisons, renderReport, type MeasuredPhase, type ReportInput } from './report.js';
import { positive, zeroOrMore } from './flag-numbers.js';
import { runBench } from './run-bench.js';

const { values: flags } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    broadcasts: { type: 'string', default: '20' },
    'filtered-seconds': { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '3' },
    rate: { type: 'string', default: '200' },
    'per-store': { type: 'string', default: '50' },
    skus: { type: 'string', default: '200' },
    batch: { type: 'string', default: '200' },
    'timeout-ms': { type: 'string', default: '10000' },
    'anchor-only': { type: 'boolean', default: false },
    'no-anchor': { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    'gateway-cpu-prof': { type: 'boolean', default: false },
    'load-cpu-prof': { type: 'boolean', default: false },
    'event-fields-only': { type: 'boolean', default: false },
    'quiet-wait-s': { type: 'string', default: '300' },
  },
});
const n = Math.floor(positive(flags.subscribers, 'subscribers'));
const perStore = Math.floor(positive(flags['per-store'], 'per-store'));
const options = {
  broadcasts: Math.floor(positive(flags.broadcasts, 'broadcasts')),
  filteredSeconds: positive(flags['filtered-seconds'], 'filtered-seconds'),
  warmupSeconds: zeroOrMore(flags['warmup-seconds'], 'warmup-seconds'),
  rate: positive(flags.rate, 'rate'),
  batch: Math.floor(positive(flags.batch, 'batch')),
  timeoutMs: positive(flags['timeout-ms'], 'timeout-ms'),
};
// The one read of the environment: where services live, and PATH for children.
const env = {
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  childEnv: { PATH: process.env.PATH ?? '' },
};
const root = projectRoot();
// `--gateway-cpu-prof`, `--load-cpu-prof`: that child writes a V8 CPU profile in a folder of its own (bench/cpu-profile-summary.ts reads it).
const cpuProfileArgs = (child: 'gateway' | 'load') => ['--cpu-prof', '--cpu-prof-dir', join(root, 'bench', 'results', 'profiles', child)];
const runId = randomBytes(4).toString('hex');
// Production mode wants a gateway signing secret of its own: one per run, shared by this process's subgraphs and the gateway child.
const gatewaySigningSecret = randomBytes(32).toString('hex');
const posWebhookSecret = randomBytes(24).toString('hex');
// The subscribers are POS terminals (stockChanged needs inventory:read): one OAuth client of the production gateway, with a secret per run.
const benchClient = { id: 'bench-pos-terminals', secret: randomBytes(24).toString('hex'), file: join(tmpdir(), `commerce-graph-bench-${runId}-clients.json`) };
const notes: string[] = [];

/** Each client socket is a descriptor in the load process and another in the gateway (or anchor). */
function checkLimits(): void {
  const fdLimit = Number(execFileSync('bash', ['-c', 'ulimit -n']).toString().trim());
  notes.push(
    fdLimit < n + 1_000
      ? `ulimit -n is ${fdLimit}: too low for ${n} sockets per process (raise it to at least ${n + 1_000}).`
      : `ulimit -n is ${fdLimit}: enough for ${n} sockets per process.`,
  );
  const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  if ((high ?? 0) - (low ?? 0) < n + 1_000) notes.push(`only ${(high ?? 0) - (low ?? 0)} ephemeral ports for ${n} client connections.`);
}

const children: ChildProcess[] = [];
let stack: RunningBackends | undefined;
let load: LoadDriver | undefined;
/** Set once the stack may have created its schema and stream: clean-up removes both even after a failed start. */
let stackAttempted = false;
const schema = `bench_${runId}`;
const streamKey = `bench:stock-events:${runId}`;

interface Servers {
  anchor?: { child: ChildProcess; url: string };
  gateway?: { child: ChildProcess; url: string };
  params?: LoadParams['gateway'];
}

async function startServers(): Promise<Servers> {
  let anchor: Servers['anchor'];
  if (!flags['no-anchor']) {
    anchor = await spawnReady(['--import', 'tsx', 'bench/ws-broadcast-anchor.ts'], env.childEnv, root, 'anchor');
    children.push(anchor.child);
  }
  if (flags['anchor-only']) return { anchor };

  const stores = Math.min(1_000, Math.max(20, Math.ceil(n / perStore)));
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    GATEWAY_SIGNING_SECRET: gatewaySigningSecret,
    POS_WEBHOOK_SECRET: posWebhookSecret,
    POS_WEBHOOK_SECRETS: `pos-main=${posWebhookSecret}`,
    ...Object.fromEntries(['PORT', 'PRODUCT_PORT', 'INVENTORY_PORT', 'CUSTOMER_PORT', 'ORDER_PORT', 'MAGENTO_SIM_PORT', 'CRM_SIM_PORT', 'ERP_SIM_PORT', 'POS_SIM_PORT'].map((k) => [k, '0'])),
    DATABASE_URL: env.databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: env.redisUrl,
    STOCK_STREAM_KEY: streamKey,
    SIM_SKUS: flags.skus,
    SIM_STORES: String(stores),
    SIM_CUSTOMERS: '400',
  });
  // Loaded here, not at the top: --anchor-only needs none of the stack.
  const { startBackends } = await import('../bin/start-stack.js');
  stackAttempted = true;
  stack = await startBackends(config, createLogger('bench-stack', config.logLevel));
  const subgraphUrls = Object.fromEntries(Object.entries(stack.config.gateway.subgraphs).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]));
  const nodeArgs = [
    ...(flags['gateway-cpu-prof'] ? cpuProfileArgs('gateway') : []),
    ...(flags.dist ? ['dist/bin/service.js'] : ['--import', 'tsx', 'bin/service.ts']),
    'gateway',
  ];
  writeFileSync(
    benchClient.file,
    JSON.stringify({ clients: [{ id: benchClient.id, name: 'Benchmark POS terminals', secretHash: await hashClientSecret(benchClient.secret), scopes: ['inventory:read'] }] }),
  );
  const gateway = await spawnReady(
    nodeArgs,
    {
      ...env.childEnv,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      GATEWAY_SIGNING_SECRET: gatewaySigningSecret,
      POS_WEBHOOK_SECRETS: `pos-main=${posWebhookSecret}`,
      PORT: '0',
      ...subgraphUrls,
      REDIS_URL: env.redisUrl,
      STOCK_STREAM_KEY: streamKey,
      // Generous: a slow client must show up as latency here, not as a 4413 close.
      SUBSCRIPTION_QUEUE_LIMIT: '100000',
      AUTH_CLIENTS_FILE: benchClient.file,
      // Every terminal subscribes with the one client's token: its bucket must hold them all; and the token must outlive the run.
      RATE_LIMIT_CLIENTS: JSON.stringify({ [benchClient.id]: { burst: 1_000_000, perMinute: 1_000_000 } }),
      AUTH_TOKEN_TTL_S: '3600',
    },
    root,
    'gateway',
  );
  children.push(gateway.child);
  const usedStores = stack.dataset.stores.slice(0, Math.ceil(n / perStore)).map((s) => s.id);
  return {
    anchor,
    gateway,
    params: {
      websocketUrl: `${gateway.url.replace(/^http/, 'ws')}/graphql`,
      authorization: await bearerToken(gateway.url),
      readyzUrl: `${gateway.url}/readyz`,
      webhookUrl: `${stack.subgraphs.inventory.url}${POS_WEBHOOK_PATH}`,
      webhookSecret: stack.config.simulators.pos.webhookSecret,
      redisUrl: env.redisUrl,
      streamKey,
      stores: usedStores,
      skus: stack.dataset.products.map((p) => p.sku),
      broadcasts: options.broadcasts,
      filteredSeconds: options.filteredSeconds,
      warmupSeconds: options.warmupSeconds,
      rate: options.rate,
      perStore,
      eventFieldsOnly: flags['event-fields-only'],
    },
  };
}

/** Runs one load step and samples every process's CPU and memory around it. */
async function measure(command: Command, pids: Record<string, number | undefined>, serverIdleRssKiB: number): Promise<MeasuredPhase> {
  const sampleAll = () =>
    Object.fromEntries(Object.entries(pids).flatMap(([name, pid]) => (pid ? [[name, sampleProcess(pid)]] : []))) as Record<string, ProcessSample>;
  const before = sampleAll();
  const machineBefore = sampleMachine();
  const startedAt = now();
  const result = await load!.run(command);
  const wallMs = now() - startedAt;
  const after = sampleAll();
  const machineAfter = sampleMachine();
  if (!result) throw new Error(`${command} returned no result`);
  const cpuMs = Object.fromEntries(Object.keys(after).map((name) => [name, after[name]!.cpuMs - (before[name]?.cpuMs ?? 0)]));
  return {
    result,
    wallMs,
    cpuMs,
    serverRssKiB: after.server?.rssKiB ?? NaN,
    serverIdleRssKiB,
    machineBusyPct: ((machineAfter.busyMs - machineBefore.busyMs) / wallMs) * 100,
  };
}

async function main(): Promise<void> {
  checkLimits();
  if (flags['event-fields-only']) notes.push('diagnostic run: subscribers select only the event\'s own fields (no product { name }, no subgraph round trip per event).');
  const busy = await waitForQuietMachine(Number(flags['quiet-wait-s']) * 1000);
  if (busy) notes.push(busy);
  const { anchor, gateway, params } = await startServers();
  // The inventory subgraph's opening load (ERP stock into PostgreSQL) may still be running: let it finish.
  const busyAfterStart = await waitForQuietMachine(60_000);
  if (busyAfterStart) notes.push(busyAfterStart);
  load = await LoadDriver.start(
    { subscribers: n, batch: options.batch, timeoutMs: options.timeoutMs, ...(anchor ? { anchor: { url: anchor.url, broadcasts: options.broadcasts } } : {}), ...(params ? { gateway: params } : {}) },
    root,
    env.childEnv,
    flags['load-cpu-prof'] ? cpuProfileArgs('load') : [],
  );
  children.push(load.child);
  const input: ReportInput = { subscribers: n, phases: {}, notes, ...(params ? { requestedRate: options.rate } : {}) };

  if (anchor) {
    const idle = sampleProcess(anchor.child.pid!).rssKiB;
    await load.run('anchor-connect');
    input.phases.anchor = await measure('anchor-broadcast', { server: anchor.child.pid, load: load.pid, stack: stack && process.pid }, idle);
    await load.run('anchor-close');
    // Its sockets and core are the gateway's from here on.
    await stop(anchor.child);
  }
  if (gateway) {
    const pids = { server: gateway.child.pid, load: load.pid, stack: process.pid };
    const idle = sampleProcess(gateway.child.pid!).rssKiB;
    const connectStart = now();
    await load.run('gateway-connect');
    input.connect = { wallMs: now() - connectStart, connected: n };
    const idlePhase = await measure('idle', pids, idle);
    input.idle = { wallMs: idlePhase.wallMs, cpuMs: idlePhase.cpuMs, serverRssKiB: idlePhase.serverRssKiB };
    input.phases.broadcast = await measure('broadcast', pids, idle);
    await load.run('filtered-subscribe');
    // 10,000 unsubscribes and as many subscribes leave work behind (collections, closed subscriptions):
    // let it finish, then run the same traffic unmeasured, as a steady state is what the target is about.
    const busyAfterResubscribe = await waitForQuietMachine(60_000);
    if (busyAfterResubscribe) notes.push(busyAfterResubscribe);
    if (options.warmupSeconds > 0) await load.run('filtered-warmup');
    input.phases.filtered = await measure('filtered', pids, idle);
  }
  await load.run('close');

  const report = renderReport(input);
  process.stdout.write(`${report}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const config = { subscribers: n, perStore, skus: Number(flags.skus), ...options, gatewayFrom: flags.dist ? 'dist' : 'tsx', eventFieldsOnly: flags['event-fields-only'] };
  writeFileSync(join(root, 'bench', 'results', 'stock-fanout.json'), `${JSON.stringify({ at: new Date().toISOString(), config, ...input, comparisons: comparisons(input) }, null, 2)}\n`);
}

/** `Bearer <token>` for the benchmark's client, from the gateway's own /oauth/token. */
async function bearerToken(gatewayUrl: string): Promise<string> {
  const res = await fetch(`${gatewayUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: benchClient.id, client_secret: benchClient.secret }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`The gateway refused the benchmark's client: ${res.status} ${await res.text()}`);
  return `Bearer ${((await res.json()) as { access_token: string }).access_token}`;
}

/** Children first (the gateway holds connections to the subgraphs), then the stack, then what the run left in PostgreSQL and Redis. */
async function cleanUp(): Promise<void> {
  rmSync(benchClient.file, { force: true });
  for (const child of children.reverse()) await stop(child);
  await stack?.close();
  if (stackAttempted) {
    const client = new pg.Client({ connectionString: env.databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    const redis = new Redis(env.redisUrl, { lazyConnect: true });
    await redis.connect();
    await redis.del(streamKey).finally(() => redis.quit());
  }
}

await runBench(main, cleanUp);
