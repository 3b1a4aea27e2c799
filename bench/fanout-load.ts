/**
 * The load: runs in its own process (so the gateway's CPU is the gateway's),
 * both injecting POS webhooks and receiving on every client, so one clock
 * times each delivery. Driven step by step over IPC by stock-fanout.ts.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnchorClients } from './anchor-clients.js';
import { now, waitAtMost } from './clock.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { GatewayClients, STOCK_CHANGED, STOCK_CHANGED_EVENT_ONLY } from './gateway-clients.js';
import { PosWebhook } from './pos-webhook.js';
import { tapStream } from './stream-tap.js';
import type { Command, LoadParams, LoadReply, LoadRequest, PhaseResult } from './protocol.js';

const params = JSON.parse(process.argv[2] ?? '{}') as LoadParams;
const { subscribers: n, batch, timeoutMs } = params;
const tracker = new DeliveryTracker();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
const anchor = params.anchor && new AnchorClients(params.anchor.url, tracker);
const gw = params.gateway;
const gateway = gw && new GatewayClients(gw.websocketUrl, gw.authorization, tracker, gw.eventFieldsOnly ? STOCK_CHANGED_EVENT_ONLY : STOCK_CHANGED);
const webhook = gw && new PosWebhook(gw.webhookUrl, gw.webhookSecret, randomBytes(4).toString('hex'));
const tap = gw && tapStream(gw.redisUrl, gw.streamKey, (occurredAt, at) => tracker.streamed(Date.parse(occurredAt), at));

/** Deterministic picks (mulberry32), so two runs inject the same stores and SKUs. */
let seed = 0x5eed;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** Polls the gateway's /readyz (its readiness report, not a timing) until it holds `count` subscribers. */
async function untilSubscribers(count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const body = (await (await fetch(gw!.readyzUrl)).json()) as { subscriptions?: { subscribers?: number } };
    seen = body.subscriptions?.subscribers ?? -1;
    if (seen === count) return;
    await sleep(250);
  }
  throw new Error(`The gateway holds ${seen} subscribers, expected ${count}`);
}

/** Sends one event through the webhook; resolves once it is answered, with a promise of its delivery to everyone. */
async function inject(storeId: string, expected: number): Promise<{ everyone: Promise<void> }> {
  const event = webhook!.prepare(storeId, pick(gw!.skus));
  const sentAt = now();
  const everyone = tracker.inject(event.key, expected, sentAt);
  const ok = await webhook!.post(event.body).catch(() => false);
  tracker.webhookAnswered(now() - sentAt, ok);
  return { everyone };
}

function startPhase(): void {
  tracker.reset(now());
  loopDelay.reset();
  loopDelay.enable();
}

function endPhase(): PhaseResult {
  loopDelay.disable();
  const ms = (ns: number) => ns / 1e6;
  return {
    ...tracker.result(n, now()),
    loadLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) },
  };
}

/** Client i's store in the filtered phase: `perStore` consecutive clients share one. */
const storeIndexOf = (client: number) => Math.floor(client / gw!.perStore) % gw!.stores.length;

/**
 * `rate` events a second for `seconds`, each to a random store, then every
 * answer and delivery. Open-loop pacing: events go out on schedule whether or
 * not earlier ones were answered, as tills do.
 */
async function storeTraffic(seconds: number): Promise<void> {
  const listeners = new Array<number>(gw!.stores.length).fill(0);
  for (let i = 0; i < n; i++) listeners[storeIndexOf(i)]!++;
  const total = Math.round(gw!.rate * seconds);
  const answered: Array<Promise<unknown>> = [];
  const start = now();
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((now() - start) * gw!.rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const store = Math.floor(random() * gw!.stores.length);
      answered.push(inject(gw!.stores[store] as string, listeners[store] as number));
    }
    await sleep(1);
  }
  await Promise.all(answered);
  await tracker.settle(timeoutMs);
}

const steps: Record<Command, () => Promise<PhaseResult | undefined>> = {
  'anchor-connect': async () => void (await anchor!.connect(n, batch)),
  'anchor-broadcast': async () => {
    startPhase();
    await anchor!.broadcast(params.anchor!.broadcasts, timeoutMs);
    return endPhase();
  },
  'anchor-close': async () => void (await anchor!.close()),
  'gateway-connect': async () => {
    await gateway!.connect(n, batch);
    gateway!.subscribe(() => ({}));
    await untilSubscribers(n);
    // One unmeasured event first: the gateway's query plan, subgraph connections and JIT are cold until then.
    tracker.reset(now());
    const { everyone } = await inject(gw!.stores[0] as string, n);
    await waitAtMost(everyone, timeoutMs);
    return undefined;
  },
  // Nothing injected: what N idle subscribers cost the gateway (keep-alive pings, timers).
  idle: async () => {
    startPhase();
    await sleep(5_000);
    return endPhase();
  },
  broadcast: async () => {
    startPhase();
    for (let k = 0; k < gw!.broadcasts; k++) {
      const { everyone } = await inject(gw!.stores[k % gw!.stores.length] as string, n);
      await waitAtMost(everyone, timeoutMs);
    }
    return endPhase();
  },
  'filtered-subscribe': async () => {
    gateway!.unsubscribeAll();
    await untilSubscribers(0);
    gateway!.subscribe((i) => ({ locationIds: [gw!.stores[storeIndexOf(i)]] }));
    await untilSubscribers(n);
    return undefined;
  },
  'filtered-warmup': async () => {
    tracker.reset(now());
    await storeTraffic(gw!.warmupSeconds);
    return undefined;
  },
  filtered: async () => {
    startPhase();
    await storeTraffic(gw!.filteredSeconds);
    return endPhase();
  },
  close: async () => {
    tap?.close();
    await webhook?.close();
    await Promise.all([anchor?.close(), gateway?.close()]);
    return undefined;
  },
};

process.on('message', (message: LoadRequest) => {
  const reply = (r: LoadReply) => process.send!(r);
  steps[message.command]().then(
    (result) => reply({ command: message.command, ...(result ? { result } : {}) }),
    (err: unknown) => reply({ command: message.command, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.send!({ ready: true });
// The orchestrator stops this process with SIGTERM once `close` is done: exit normally, so `--cpu-prof` writes its profile.
process.once('SIGTERM', () => process.exit(0));
