import type { IncomingMessage } from 'node:http';
import { GraphQLError, execute, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { FULL_ACCESS } from '../../test/support/gateway-signing.js';
import type { MagentoOrdersConnector } from './connectors/magento-orders-connector.js';
import type { PosOrdersConnector } from './connectors/pos-orders-connector.js';
import { createOrderContext, createOrderSchema } from './index.js';
import { fromMagentoOrder, fromPosOrder } from './order-mapping.js';
import type { Order } from './order.js';

/**
 * The resolvers and loaders over in-memory connectors that count their calls:
 * batching, null for unknown ids and per-channel failures, without HTTP.
 * (order-subgraph.integration.test.ts does the same against the simulators.)
 */
const CUSTOMERS = 20;
const magentoOrders: Order[] = [];
const posOrders: Order[] = [];
for (let c = 1; c <= CUSTOMERS; c++) {
  for (let i = 0; i < 2; i++) {
    const entityId = c * 10 + i;
    magentoOrders.push(
      fromMagentoOrder({
        entity_id: entityId,
        increment_id: String(100_000_000 + entityId),
        customer_id: c,
        created_at: `2026-0${1 + i}-${String(c).padStart(2, '0')} 10:00:00`,
        status: 'complete',
        order_currency_code: 'USD',
        grand_total: 10.5,
        items: [{ sku: 'CG-000001', qty_ordered: 1, price: 10.5 }],
      }),
    );
  }
  posOrders.push(
    fromPosOrder({
      orderId: `S001-${String(c).padStart(6, '0')}`,
      storeId: 'S001',
      loyaltyId: `L${c}`,
      placedAt: `2026-03-${String(c).padStart(2, '0')}T10:00:00.000Z`,
      status: 'COMPLETED',
      currency: 'USD',
      totalCents: 1999,
      lines: [{ sku: 'CG-000002', quantity: 1, unitPriceCents: 1999 }],
    }),
  );
}

function fakeConnectors(posDown = false) {
  const calls = { magento: [] as string[], pos: [] as string[] };
  const down = () => new GraphQLError('pos is unavailable.', { extensions: { code: 'UPSTREAM_UNAVAILABLE', service: 'pos', status: 503 } });
  const magento: MagentoOrdersConnector = {
    ordersOfCustomers: async (ids) => {
      calls.magento.push(`customers ${ids.join(',')}`);
      return magentoOrders.filter((o) => ids.includes(Number(o.customerSource?.externalId)));
    },
    ordersByEntityId: async (ids) => {
      calls.magento.push(`ids ${ids.join(',')}`);
      return magentoOrders.filter((o) => ids.includes(Number(o.id.slice(4))));
    },
  };
  const pos: PosOrdersConnector = {
    ordersOfLoyaltyIds: async (ids) => {
      calls.pos.push(`loyalty ${ids.join(',')}`);
      if (posDown) throw down();
      return posOrders.filter((o) => ids.includes(o.customerSource?.externalId ?? ''));
    },
    orderById: async (id) => {
      calls.pos.push(`id ${id}`);
      if (posDown) throw down();
      return posOrders.find((o) => o.number === id) ?? null;
    },
  };
  return { connectors: { magento, pos }, calls };
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await createOrderSchema();
});

async function run(query: string, variables: Record<string, unknown> = {}, posDown = false) {
  const { connectors, calls } = fakeConnectors(posDown);
  const contextValue = createOrderContext({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS }, connectors);
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
  return { result: result as { data?: any; errors?: readonly GraphQLError[] }, calls };
}

const customerRep = (c: number) => ({
  __typename: 'Customer',
  id: `cus_${c}`,
  sourceRecords: [
    { system: 'CRM', externalId: `003X${c}` },
    { system: 'MAGENTO', externalId: String(c) },
    { system: 'POS', externalId: `L${c}` },
  ],
});

const CUSTOMER_ORDERS = `query($reps: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $reps) { ... on Customer { id orders(first: $first, after: $after) {
    edges { cursor node { id channel placedAt } } pageInfo { hasNextPage endCursor } } } } }`;

describe('Customer.orders', () => {
  it("merges 20 customers' orders with one call per system", async () => {
    const reps = Array.from({ length: CUSTOMERS }, (_, i) => customerRep(i + 1));
    const { result, calls } = await run(CUSTOMER_ORDERS, { reps, first: 10 });
    expect(result.errors).toBeUndefined();
    expect(calls.magento).toHaveLength(1);
    expect(calls.pos).toHaveLength(1);
    const first = result.data._entities[0].orders.edges.map((e: any) => e.node);
    expect(first.map((o: any) => [o.id, o.channel])).toEqual([
      ['pos_S001-000001', 'STORE'],
      ['mag_11', 'ONLINE'],
      ['mag_10', 'ONLINE'],
    ]);
  });

  it('refuses first outside 1..100 before calling anyone', async () => {
    const { result, calls } = await run(CUSTOMER_ORDERS, { reps: [customerRep(1)], first: 101 });
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(calls).toEqual({ magento: [], pos: [] });
  });

  it('fails with the failing system named, not with one channel silently missing', async () => {
    const { result } = await run(CUSTOMER_ORDERS, { reps: [customerRep(1)], first: 10 }, true);
    expect(result.data._entities).toEqual([null]);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'pos' });
    expect(result.errors?.[0]?.path).toEqual(['_entities', 0, 'orders']);
  });

  it('has no orders for a customer without usable Magento or POS records', async () => {
    const sourceRecords = [{ system: 'CRM', externalId: 'x' }, { system: 'POS' }, 'junk', null, { system: 'MAGENTO', externalId: 'abc' }];
    const { result, calls } = await run(CUSTOMER_ORDERS, { reps: [{ __typename: 'Customer', id: 'c', sourceRecords }] });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities[0].orders).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(calls).toEqual({ magento: [], pos: [] });
  });
});

describe('orders by id', () => {
  const ORDERS = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { id number total { amount } } } }`;
  const reps = (...ids: string[]) => ids.map((id) => ({ __typename: 'Order', id }));

  it('batches references: one Magento search for all online ids, one POS call per distinct in-store id', async () => {
    const { result, calls } = await run(ORDERS, { reps: reps('mag_10', 'mag_21', 'pos_S001-000003', 'mag_999', 'pos_S001-999999', 'mag_x', 'pos_S001-000003') });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: 'mag_10', number: '100000010', total: { amount: '10.50' } },
      { id: 'mag_21', number: '100000021', total: { amount: '10.50' } },
      { id: 'pos_S001-000003', number: 'S001-000003', total: { amount: '19.99' } },
      null,
      null,
      null,
      { id: 'pos_S001-000003', number: 'S001-000003', total: { amount: '19.99' } },
    ]);
    expect(calls.magento).toEqual(['ids 10,21,999']);
    expect(calls.pos.sort()).toEqual(['id S001-000003', 'id S001-999999']);
  });

  it('keeps online orders when the POS is down; each in-store one gets the error', async () => {
    const { result } = await run(ORDERS, { reps: reps('mag_10', 'pos_S001-000001') }, true);
    expect(result.data._entities).toEqual([{ id: 'mag_10', number: '100000010', total: { amount: '10.50' } }, null]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'pos' });
    expect(result.errors?.[0]?.path).toEqual(['_entities', 1]);
  });

  it('Query.order answers null for unknown and malformed ids, calling no one for the malformed', async () => {
    const { result, calls } = await run(`{ a: order(id: "mag_999") { id } b: order(id: "nonsense") { id } c: order(id: "pos_../admin") { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ a: null, b: null, c: null });
    expect(calls).toEqual({ magento: ['ids 999'], pos: [] });
  });
});
