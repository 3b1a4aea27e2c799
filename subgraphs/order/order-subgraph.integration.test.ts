import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamConfig } from '../../lib/config.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import type { RunningSimulator } from '../../simulators/common/simulator-server.js';
import { BUSY_PERSON_INDEX, generateDataset, type MagentoOrder, type PosOrder } from '../../simulators/data/dataset.js';
import { startMagentoSimulator } from '../../simulators/magento/magento-simulator.js';
import { startPosSimulator } from '../../simulators/pos/pos-simulator.js';
import { TEST_GATEWAY_SECRET, principalWith } from '../../test/support/gateway-signing.js';
import { queryServer, type GraphQLResponse } from '../../test/support/graphql-client.js';
import { testLogger } from '../../test/support/logger.js';
import { resetUpstreamCalls, setFaults, upstreamCalls } from '../../test/support/simulator-admin.js';
import { startOrderSubgraph } from './index.js';

/**
 * The order subgraph over HTTP (startOrderSubgraph) against the real Magento
 * and POS simulators, each on port 0, over one small generated dataset.
 */
const logger = testLogger('order-subgraph-test');
const dataset = generateDataset(42, { skus: 300, warehouses: 2, stores: 6, customers: 400 });
const TOKENS = { magento: 'magento-test-token', pos: 'pos-test-token' };
const noFaults = { latencyMs: 0, errorRate: 0, outage: false };

let magento: RunningSimulator;
let pos: RunningSimulator;
let subgraph: RunningServer;

beforeAll(async () => {
  [magento, pos] = await Promise.all([
    startMagentoSimulator({ dataset, port: 0, token: TOKENS.magento, faults: noFaults, logger }),
    startPosSimulator({ dataset, port: 0, token: TOKENS.pos, faults: noFaults, logger, webhook: { secret: 'pos-test-webhook-secret-0001', eventRate: 0 } }),
  ]);
  // No retries: an outage test should fail fast, and call counts stay exact.
  const upstream = (sim: RunningSimulator, token: string): UpstreamConfig => ({ url: sim.url, token, timeoutMs: 5_000, retries: 0 });
  subgraph = await startOrderSubgraph({ port: 0, magento: upstream(magento, TOKENS.magento), pos: upstream(pos, TOKENS.pos), logger, gatewaySigningSecret: TEST_GATEWAY_SECRET });
});

afterAll(async () => {
  await subgraph?.close();
  await Promise.all([magento?.close(), pos?.close()]);
});

type GraphQLBody = GraphQLResponse<any>['body'];
const gql = (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLBody> => queryServer(subgraph, query, variables);

const resetStats = () => Promise.all([resetUpstreamCalls(magento, TOKENS.magento), resetUpstreamCalls(pos, TOKENS.pos)]);
const requestCounts = async () => ({
  magento: (await upstreamCalls(magento, TOKENS.magento)).requests,
  pos: (await upstreamCalls(pos, TOKENS.pos)).requests,
});

/** A golden customer's representation as the gateway sends it for `orders`. */
function customerOf(personIndex: number) {
  const sourceRecords = [
    ...dataset.magentoCustomers.filter((c) => c.personIndex === personIndex).map((c) => ({ system: 'MAGENTO', externalId: String(c.id) })),
    ...dataset.loyaltyCustomers.filter((c) => c.personIndex === personIndex).map((c) => ({ system: 'POS', externalId: c.loyaltyId })),
  ];
  return { __typename: 'Customer', id: `cus_${personIndex}`, sourceRecords };
}

/** The ids of a person's orders in the dataset, both channels. */
function orderIdsOf(personIndex: number): string[] {
  const customerIds = new Set(dataset.magentoCustomers.filter((c) => c.personIndex === personIndex).map((c) => c.id));
  const loyaltyIds = new Set(dataset.loyaltyCustomers.filter((c) => c.personIndex === personIndex).map((c) => c.loyaltyId));
  return [
    ...dataset.magentoOrders.filter((o) => o.customerId !== null && customerIds.has(o.customerId)).map((o) => `mag_${o.entityId}`),
    ...dataset.posOrders.filter((o) => o.loyaltyId !== null && loyaltyIds.has(o.loyaltyId)).map((o) => `pos_${o.orderId}`),
  ];
}

const ORDER_FIELDS = 'id number channel status placedAt total { amount currencyCode } lines { sku product { sku } quantity unitPrice { amount currencyCode } }';
const CUSTOMER_ORDERS = `query($reps: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $reps) { ... on Customer { id orders(first: $first, after: $after) {
    edges { cursor node { id channel placedAt } } pageInfo { hasNextPage endCursor } } } } }`;

/** Integer cents of a dataset amount: expected totals are compared exactly, never as floats. */
const cents = (amount: number) => Math.round(amount * 100);
const asDecimal = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;

describe('order(id)', () => {
  it('answers an online order as Magento has it', async () => {
    const record = dataset.magentoOrders.find((o) => o.customerId !== null && o.lines.length > 1) as MagentoOrder;
    const { data, errors } = await gql(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: `mag_${record.entityId}` });
    expect(errors).toBeUndefined();
    expect(data.order).toEqual({
      id: `mag_${record.entityId}`,
      number: record.incrementId,
      channel: 'ONLINE',
      status: record.status.toUpperCase(),
      // Magento keeps whole seconds.
      placedAt: `${record.createdAt.slice(0, 19)}.000Z`,
      total: { amount: asDecimal(cents(record.grandTotal)), currencyCode: 'USD' },
      lines: record.lines.map((l) => ({ sku: l.sku, product: { sku: l.sku }, quantity: l.quantity, unitPrice: { amount: asDecimal(cents(l.unitPrice)), currencyCode: 'USD' } })),
    });
  });

  it('answers an in-store order with its cents exactly', async () => {
    const record = dataset.posOrders.find((o) => o.lines.length > 1 && o.status === 'COMPLETED') as PosOrder;
    const { data, errors } = await gql(`query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: `pos_${record.orderId}` });
    expect(errors).toBeUndefined();
    expect(data.order).toEqual({
      id: `pos_${record.orderId}`,
      number: record.orderId,
      channel: 'STORE',
      status: 'COMPLETE',
      placedAt: record.placedAt,
      total: { amount: asDecimal(record.lines.reduce((s, l) => s + l.quantity * cents(l.unitPrice), 0)), currencyCode: 'USD' },
      lines: record.lines.map((l) => ({ sku: l.sku, product: { sku: l.sku }, quantity: l.quantity, unitPrice: { amount: asDecimal(cents(l.unitPrice)), currencyCode: 'USD' } })),
    });
    expect(data.order.total.amount).toBe(asDecimal(cents(record.total)));
  });

  it('answers null, without an error, for unknown and malformed ids', async () => {
    const { data, errors } = await gql(`{
      a: order(id: "mag_99999999") { id } b: order(id: "pos_S001-999999") { id }
      c: order(id: "mag_abc") { id } d: order(id: "pos_") { id } e: order(id: "42") { id } }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({ a: null, b: null, c: null, d: null, e: null });
  });
});

describe('Customer.orders', () => {
  it("merges the busy person's 14 online and 8 in-store orders, newest first", async () => {
    const { data, errors } = await gql(CUSTOMER_ORDERS, { reps: [customerOf(BUSY_PERSON_INDEX)], first: 50 });
    expect(errors).toBeUndefined();
    const nodes = data._entities[0].orders.edges.map((e: { node: { id: string; channel: string; placedAt: string } }) => e.node);
    expect(nodes).toHaveLength(22);
    expect(nodes.filter((n: { channel: string }) => n.channel === 'ONLINE')).toHaveLength(14);
    expect(nodes.map((n: { id: string }) => n.id).sort()).toEqual(orderIdsOf(BUSY_PERSON_INDEX).sort());
    const placed = nodes.map((n: { placedAt: string }) => n.placedAt);
    expect(placed).toEqual([...placed].sort().reverse());
    expect(data._entities[0].orders.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with first: 5 to the end, without gaps or duplicates', async () => {
    const whole = await gql(CUSTOMER_ORDERS, { reps: [customerOf(BUSY_PERSON_INDEX)], first: 50 });
    const expected = whole.data._entities[0].orders.edges.map((e: { node: { id: string } }) => e.node.id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { data, errors }: GraphQLBody = await gql(CUSTOMER_ORDERS, { reps: [customerOf(BUSY_PERSON_INDEX)], first: 5, after });
      expect(errors).toBeUndefined();
      const orders = data._entities[0].orders;
      seen.push(...orders.edges.map((e: { node: { id: string } }) => e.node.id));
      sizes.push(orders.edges.length);
      if (!orders.pageInfo.hasNextPage) break;
      after = orders.pageInfo.endCursor;
    }
    expect(sizes).toEqual([5, 5, 5, 5, 2]);
    expect(new Set(seen).size).toBe(22);
    expect(seen).toEqual(expected);
  });

  it("costs one Magento and one POS call for 20 customers' orders", async () => {
    const people = dataset.people.map((p) => p.index).filter((i) => i !== BUSY_PERSON_INDEX && orderIdsOf(i).length > 0).slice(0, 20);
    expect(people).toHaveLength(20);
    await resetStats();
    const { data, errors } = await gql(CUSTOMER_ORDERS, { reps: people.map(customerOf), first: 100 });
    expect(await requestCounts()).toEqual({ magento: 1, pos: 1 });
    expect(errors).toBeUndefined();
    people.forEach((person, i) => {
      const ids = data._entities[i].orders.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(ids.sort(), `person ${person}`).toEqual(orderIdsOf(person).sort());
    });
  });

  it('refuses first outside 1..100 with BAD_USER_INPUT', async () => {
    for (const first of [0, 101]) {
      const { errors } = await gql(CUSTOMER_ORDERS, { reps: [customerOf(BUSY_PERSON_INDEX)], first });
      expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('access (the subgraph enforces its own @requiresScopes)', () => {
  it('serves orders to orders:read, and Customer.orders only with customers:read too; no upstream call for a refusal', async () => {
    const order = dataset.posOrders[0]!;
    const refused = await queryServer(subgraph, 'query($id: ID!) { order(id: $id) { id } }', { id: `pos_${order.orderId}` }, principalWith('customers:read'));
    expect(refused.data).toEqual({ order: null });
    expect(refused.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Query.order needs scope orders:read.', 'FORBIDDEN']]);

    await resetStats();
    const reps = { reps: [customerOf(BUSY_PERSON_INDEX)], first: 5 };
    const ordersOnly = await queryServer(subgraph, CUSTOMER_ORDERS, reps, principalWith('orders:read'));
    expect(ordersOnly.data).toEqual({ _entities: [null] });
    // Customer.id is non-null: its refusal nulls the entity (whose other errors graphql-js may drop).
    expect(ordersOnly.errors?.[0]).toMatchObject({ message: 'Customer.id needs scope customers:read.', extensions: { code: 'FORBIDDEN' } });
    const customersOnly = await queryServer(subgraph, CUSTOMER_ORDERS, reps, principalWith('customers:read'));
    expect(customersOnly.errors?.find((e) => e.path?.join('.') === '_entities.0.orders')).toMatchObject({ message: 'Customer.orders needs scope orders:read.' });
    expect(await requestCounts()).toEqual({ magento: 0, pos: 0 });

    const partner = await queryServer(subgraph, CUSTOMER_ORDERS, reps, principalWith('customers:read', 'orders:read'));
    expect(partner.errors).toBeUndefined();
    expect(partner.data!._entities[0].orders.edges).toHaveLength(5);
  });
});

describe('a POS outage', () => {
  it("fails in-store lookups and the merged history with UPSTREAM_UNAVAILABLE naming 'pos', while online orders still answer", async () => {
    const online = dataset.magentoOrders[0] as MagentoOrder;
    const inStore = dataset.posOrders[0] as PosOrder;
    await setFaults(pos, TOKENS.pos, { outage: true });
    try {
      const { data, errors } = await gql(
        `query($reps: [_Any!]!, $online: ID!, $inStore: ID!) {
          online: order(id: $online) { id total { amount } }
          inStore: order(id: $inStore) { id }
          _entities(representations: $reps) { ... on Customer { orders(first: 5) { edges { node { id } } } } }
        }`,
        { reps: [customerOf(BUSY_PERSON_INDEX)], online: `mag_${online.entityId}`, inStore: `pos_${inStore.orderId}` },
      );
      expect(data.online).toEqual({ id: `mag_${online.entityId}`, total: { amount: asDecimal(cents(online.grandTotal)) } });
      expect(data.inStore).toBeNull();
      expect(data._entities).toEqual([null]);
      const byPath = Object.fromEntries((errors ?? []).map((e) => [e.path?.join('.'), e.extensions]));
      expect(byPath.inStore).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'pos' });
      expect(byPath['_entities.0.orders']).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'pos' });
      expect(errors).toHaveLength(2);
    } finally {
      await setFaults(pos, TOKENS.pos, { outage: false });
    }
  });
});
