import type { ResultOf, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import {
  AdjustStockDocument,
  PartnerCustomerOrdersDocument,
  PosStockChangesDocument,
  PosStockByLocationDocument,
  ProductPageDocument,
  RunErpSyncDocument,
  StorefrontProductsDocument,
  SyncJobsDocument,
} from '../../clients/generated/graphql.js';
import type { DemoClientId } from '../../lib/auth/client-registry.js';
import { busyCustomerId } from '../support/busy-customer.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';

/** The example client operations, sent as their generated typed documents, answer without errors. */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

/** Runs an operation as the client it was written for (a demo client's token), or anonymously as a storefront may. */
async function run<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V, client?: DemoClientId): Promise<R> {
  const headers = client ? await asClient(stack.gateway.graphqlUrl, client) : {};
  const { status, body } = await graphql<R>(stack.gateway.graphqlUrl, print(document), variables, headers);
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  return body.data as R;
}

describe('clients/operations', () => {
  it('StorefrontProducts', async () => {
    const data = await run(StorefrontProductsDocument, { first: 5, inStockOnly: true });
    expect(data.products.edges).toHaveLength(5);
    expect(data.products.edges.every((e) => e.node.stock.inStock)).toBe(true);
  });

  it('ProductPage', async () => {
    const data = await run(ProductPageDocument, { sku: 'CG-000010' });
    expect(data.product?.sku).toBe('CG-000010');
  });

  it('PosStockByLocation', async () => {
    const data = await run(PosStockByLocationDocument, { sku: 'CG-000010', locationIds: ['S001', 'S002'] }, 'pos-terminal-s001');
    expect(data.product?.stockByLocation.map((l) => l.location.id).sort()).toEqual(['S001', 'S002']);
  });

  it('PartnerCustomerOrders', async () => {
    const id = busyCustomerId(stack.dataset);
    const data = await run(PartnerCustomerOrdersDocument, { id, first: 5 }, 'partner-acme');
    expect(data.customer?.orders.edges).toHaveLength(5);
    expect(data.customer?.orders.pageInfo.hasNextPage).toBe(true);
  });

  it('PosStockChanges and AdjustStock', async () => {
    const variables = { locationIds: ['S003'], after: await stack.bus.lastEventId() };
    const sub = subscribe<ResultOf<typeof PosStockChangesDocument>>(stack.gateway.websocketUrl, print(PosStockChangesDocument), variables, await asClient(stack.gateway.graphqlUrl, 'pos-terminal-s001'));
    const adjusted = await run(AdjustStockDocument, { input: { sku: 'CG-000010', locationId: 'S003', delta: 4, note: 'recount' } }, 'pos-terminal-s001');
    const [change] = await sub.take(1);
    expect(change!.errors).toBeUndefined();
    expect(change!.data!.stockChanged).toMatchObject({ sku: 'CG-000010', delta: 4, reason: 'ADJUSTMENT', available: adjusted.adjustStock.available });
    expect(change!.data!.stockChanged.product.name).toBeTruthy();
    await sub.close();
  });

  it('RunErpSync and SyncJobs', async () => {
    const started = await run(RunErpSyncDocument, { mode: 'INCREMENTAL' }, 'ops-console');
    expect(started.runErpSync).toMatchObject({ status: 'running', mode: 'INCREMENTAL' });
    // The job ends on its own; polled, as an operator's console would.
    for (;;) {
      const { syncJobs } = await run(SyncJobsDocument, { last: 1 }, 'ops-console');
      expect(syncJobs[0]!.id).toBe(started.runErpSync.id);
      if (syncJobs[0]!.status !== 'running') {
        expect(syncJobs[0]).toMatchObject({ status: 'completed', triggeredBy: 'api', invalidRecords: 0, errorMessage: null });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });
});
