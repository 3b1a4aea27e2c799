import type { ExecutionResult } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStockEventBus } from '../../lib/events/memory-stock-event-bus.js';
import type { StockEventBus } from '../../lib/events/stock-event-bus.js';
import type { StockEvent } from '../../lib/events/stock-event.js';
import { testLogger } from '../../test/support/logger.js';
import { ConnectionBudget } from './connection-budget.js';
import type { SelectionPlan } from './selection-plan.js';
import { filterFrom } from './stock-change-filter.js';
import { StockChangeHub } from './stock-change-hub.js';
import { SubscriptionStream } from './subscription-stream.js';

const event = (id: number, sku = 'CG-1', locationId = 'S001'): StockEvent => ({
  eventId: String(id),
  sku,
  locationId,
  previousAvailable: 5,
  available: 4,
  delta: -1,
  reason: 'SALE',
  occurredAt: '2026-11-23T10:00:00.000Z',
});

/** A plan that answers with the event id and counts how often it had to resolve. */
function countingPlan(key = 'plan'): SelectionPlan & { resolved: string[] } {
  const resolved: string[] = [];
  return {
    key,
    resolved,
    resolve: async (e) => {
      resolved.push(e.eventId);
      return { data: { stockChanged: { eventId: e.eventId } } };
    },
  };
}

const idOf = (r: ExecutionResult) => (r.data as { stockChanged: { eventId: string } }).stockChanged.eventId;

/** A subscriber as the hub sees it, recording what it was sent. */
interface Recorder {
  received: string[];
  stream: SubscriptionStream;
}

/** The first `n` event ids a subscriber was sent, once it has been sent them. */
async function take(recorder: Recorder, n: number): Promise<string[]> {
  while (recorder.received.length < n && !recorder.stream.ended) await new Promise((resolve) => setImmediate(resolve));
  return recorder.received.slice(0, n);
}

let bus: StockEventBus;
let hub: StockChangeHub;

async function start(published: StockEvent[] = [], retention?: number) {
  bus = createMemoryStockEventBus(retention ? { retention } : {});
  await bus.publish(published);
  hub = new StockChangeHub({ bus, logger: testLogger('hub'), replayPageSize: 3 });
  await hub.start();
}

function subscriber(options: { skus?: string[]; locationIds?: string[]; after?: string; plan?: SelectionPlan; budget?: ConnectionBudget; sink?: (json: string) => boolean }): Recorder {
  const budget = options.budget ?? new ConnectionBudget(1_000, () => undefined);
  let unsubscribe = () => undefined as void;
  const stream = new SubscriptionStream(budget, () => unsubscribe());
  const received: string[] = [];
  const sink = { send: options.sink ?? ((json: string) => received.push(idOf(JSON.parse(json) as ExecutionResult)) > 0) };
  const plan = options.plan ?? countingPlan();
  unsubscribe = hub.subscribe({ filter: filterFrom(options), plan: hub.planFor(plan.key, () => plan), sink, stream, budget, ...(options.after ? { after: options.after } : {}) });
  return { received, stream };
}

afterEach(async () => {
  await hub?.close();
  await bus?.close();
});

describe('StockChangeHub', () => {
  it('filters by sku and location before resolving anything', async () => {
    await start();
    const plan = countingPlan();
    const bySku = subscriber({ skus: ['CG-2'], plan });
    const byLocation = subscriber({ locationIds: ['S002'], plan });
    const both = subscriber({ skus: ['CG-2'], locationIds: ['S002'], plan });
    await bus.publish([event(1, 'CG-1', 'S001'), event(2, 'CG-2', 'S001'), event(3, 'CG-1', 'S002'), event(4, 'CG-2', 'S002')]);
    expect(await take(bySku, 2)).toEqual(['2', '4']);
    expect(await take(byLocation, 2)).toEqual(['3', '4']);
    expect(await take(both, 1)).toEqual(['4']);
    // Event 1 matched nobody: never resolved.
    expect(plan.resolved).toEqual(['2', '3', '4']);
  });

  it('resolves each event once per distinct selection, however many subscribe to it', async () => {
    await start();
    const shared = countingPlan('shared');
    const other = countingPlan('other');
    const queues = Array.from({ length: 50 }, () => subscriber({ plan: shared }));
    const odd = subscriber({ plan: other });
    await bus.publish([event(1), event(2)]);
    for (const q of queues) expect(await take(q, 2)).toEqual(['1', '2']);
    expect(await take(odd, 2)).toEqual(['1', '2']);
    expect(shared.resolved).toEqual(['1', '2']);
    expect(other.resolved).toEqual(['1', '2']);
    expect(hub.subscriberCount).toBe(51);
    await queues[0]?.stream.return();
    expect(hub.subscriberCount).toBe(50);
  });

  it('replays what a subscriber missed after its cursor, then goes on live with no gap and no duplicate', async () => {
    await start(Array.from({ length: 10 }, (_, i) => event(i + 1)));
    const queue = subscriber({ after: '3' });
    // Published while the replay pages through the bus (page size 3).
    await bus.publish([event(11), event(12)]);
    expect(await take(queue, 9)).toEqual(['4', '5', '6', '7', '8', '9', '10', '11', '12']);
    await bus.publish([event(13)]);
    expect((await take(queue, 10)).slice(9)).toEqual(['13']);
  });

  it('takes a cursor ahead of this process as the starting point', async () => {
    await start([event(1)]);
    const queue = subscriber({ after: '3' });
    await bus.publish([event(2), event(3), event(4)]);
    expect(await take(queue, 1)).toEqual(['4']);
  });

  it('refuses a cursor older than the retention with STOCK_CURSOR_EXPIRED', async () => {
    await start(Array.from({ length: 1_500 }, (_, i) => event(i + 1)), 1_000);
    const { stream } = subscriber({ after: '10' });
    await expect(stream.next()).rejects.toMatchObject({ extensions: { code: 'STOCK_CURSOR_EXPIRED', oldestResumable: '500' } });
    expect(hub.subscriberCount).toBe(0);
  });

  it('ends every subscription of a connection that stops reading once its budget is passed', async () => {
    await start();
    let exceeded = 0;
    const budget = new ConnectionBudget(5, () => exceeded++);
    // A socket that never finishes writing: nothing sent is ever released.
    subscriber({ budget, sink: () => (budget.add(), true) });
    await bus.publish(Array.from({ length: 6 }, (_, i) => event(i + 1)));
    await waitUntil(() => exceeded === 1);
    // Its subscriptions ended at once: later events are not resolved or sent for it.
    expect(hub.subscriberCount).toBe(0);
  });
});

/** Waits for a condition the bus follower makes true on its next turn. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
