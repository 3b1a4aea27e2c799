import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { busyCustomerId } from '../support/busy-customer.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, setFaults, startTestStack } from '../support/stack.js';
import { scrape } from '../support/metrics-scrape.js';

/**
 * The CRM down, through the gateway. Golden customers are loaded into
 * PostgreSQL on first start and served from there: the customer subgraph
 * calls no system of record while serving, so a CRM outage costs nothing.
 * What a customer outage does cost is shown with the customer subgraph itself
 * gone: an order still answers with its products, its customer null and one
 * error naming the service.
 */
let stack: RunningStack;
let url: string;
let partner: { authorization: string };

beforeAll(async () => {
  stack = await startTestStack();
  url = stack.gateway.graphqlUrl;
  partner = await asClient(url, 'partner-acme');
}, 120_000);
afterAll(() => stack?.close());

const setCrmOutage = (outage: boolean) => setFaults(stack.simulators.crm, stack.config.upstreams.crm.token, { outage });

/** Calls to the CRM timed by its upstream client in this process (the customer subgraph's, at ingest), from `/metrics`. */
/** Calls the customer subgraph made to the CRM, by its `/metrics`. */
const crmCalls = async (): Promise<number> => (await scrape(`${stack.subgraphs.customer.url}/metrics`)).counter('upstream_request_duration_seconds_count', { system: 'crm' });

const CUSTOMER = `query($id: ID!) { customer(id: $id) { id name loyaltyId sourceRecords { system externalId } } }`;
/** An online order of a registered customer, with its customer and products: three subgraphs. */
const ORDER = `query($id: ID!) { order(id: $id) { id number total { amount } customer { id name } lines { sku quantity product { name } } } }`;

describe('the CRM down', () => {
  it('serves golden customers in full from PostgreSQL, without calling the CRM', async () => {
    const id = busyCustomerId(stack.dataset);
    const { body: before } = await graphql(url, CUSTOMER, { id }, partner);
    expect(before.errors).toBeUndefined();
    expect(before.data!.customer.sourceRecords.map((r: { system: string }) => r.system).sort()).toEqual(['CRM', 'MAGENTO', 'POS']);

    await setCrmOutage(true);
    try {
      const calls = await crmCalls();
      // The first-start ingest read the CRM through its client: the count is live, not a line that is never there.
      expect(calls).toBeGreaterThan(0);
      const { status, body } = await graphql(url, CUSTOMER, { id }, partner);
      expect(status).toBe(200);
      expect(body).toEqual({ data: before.data });
      expect(await crmCalls()).toBe(calls);
    } finally {
      await setCrmOutage(false);
    }
  });

  it('answers an order with its products and a null customer, naming the customer service, once that service is gone', async () => {
    const order = stack.dataset.magentoOrders.find((o) => o.customerId !== null)!;
    const id = `mag_${order.entityId}`;
    const { body: before } = await graphql(url, ORDER, { id }, partner);
    expect(before.errors).toBeUndefined();
    expect(before.data!.order.customer).toMatchObject({ id: expect.stringMatching(/^cus_/) });

    await setCrmOutage(true);
    try {
      await stack.subgraphs.customer.close();
      const { status, body } = await graphql(url, ORDER, { id }, partner);
      expect(status).toBe(200);
      expect(body.data).toEqual({ order: { ...before.data!.order, customer: null } });
      expect(body.data!.order.lines.map((l: { product: { name: string } }) => l.product.name)).toEqual(order.lines.map((l) => stack.dataset.productBySku.get(l.sku)!.name));
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'customer' });
      expect(body.errors![0]!.message).toBe('The customer service is unavailable.');
    } finally {
      await setCrmOutage(false);
    }
  });
});
