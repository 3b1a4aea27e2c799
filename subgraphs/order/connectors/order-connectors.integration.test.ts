import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpstreamClient } from '../../../lib/http/upstream-client.js';
import type { RunningSimulator } from '../../../simulators/common/simulator-server.js';
import { BUSY_PERSON_INDEX, generateDataset } from '../../../simulators/data/dataset.js';
import { startMagentoSimulator } from '../../../simulators/magento/magento-simulator.js';
import { startPosSimulator } from '../../../simulators/pos/pos-simulator.js';
import { testLogger } from '../../../test/support/logger.js';
import { createMagentoOrdersConnector } from './magento-orders-connector.js';
import { createPosOrdersConnector } from './pos-orders-connector.js';

/** The connectors' paging against the real simulators, with pages small enough to need several calls. */
const logger = testLogger('order-connectors-test');
const dataset = generateDataset(42, { skus: 300, warehouses: 2, stores: 6, customers: 400 });
const noFaults = { latencyMs: 0, errorRate: 0, outage: false };
const busyCustomerId = dataset.magentoCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!.id;
const busyLoyaltyId = dataset.loyaltyCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!.loyaltyId;

let magento: RunningSimulator;
let pos: RunningSimulator;
beforeAll(async () => {
  [magento, pos] = await Promise.all([
    startMagentoSimulator({ dataset, port: 0, token: 'm', faults: noFaults, logger }),
    startPosSimulator({ dataset, port: 0, token: 'p', faults: noFaults, logger, webhook: { secret: 'pos-test-webhook-secret-0001', eventRate: 0 } }),
  ]);
});
afterAll(() => Promise.all([magento?.close(), pos?.close()]));

const client = (system: string, sim: RunningSimulator, token: string) => createUpstreamClient(system, { url: sim.url, token, timeoutMs: 5_000, retries: 0 });
const requests = () => ({ magento: magento.stats.requests, pos: pos.stats.requests });

describe('Magento orders connector', () => {
  it('follows total_count over several pages (entity_id gt), each order once', async () => {
    const connector = createMagentoOrdersConnector(client('magento', magento, 'm'), { pageSize: 4 });
    const before = requests().magento;
    const orders = await connector.ordersOfCustomers([busyCustomerId]);
    expect(requests().magento - before).toBe(4); // 14 orders, 4 a page
    const expected = dataset.magentoOrders.filter((o) => o.customerId === busyCustomerId).map((o) => `mag_${o.entityId}`);
    expect(orders.map((o) => o.id)).toEqual(expected);
  });

  it('finds orders by entity id in one search, leaving out the unknown', async () => {
    const connector = createMagentoOrdersConnector(client('magento', magento, 'm'));
    const before = requests().magento;
    const orders = await connector.ordersByEntityId([3, 1, 99_999_999, 2]);
    expect(requests().magento - before).toBe(1);
    expect(orders.map((o) => o.id)).toEqual(['mag_1', 'mag_2', 'mag_3']);
  });
});

describe('POS orders connector', () => {
  it('follows nextCursor to the end', async () => {
    const connector = createPosOrdersConnector(client('pos', pos, 'p'), { pageLimit: 3 });
    const before = requests().pos;
    const orders = await connector.ordersOfLoyaltyIds([busyLoyaltyId]);
    expect(requests().pos - before).toBe(3); // 8 orders, 3 a page
    expect(orders.map((o) => o.id).sort()).toEqual(dataset.posOrders.filter((o) => o.loyaltyId === busyLoyaltyId).map((o) => `pos_${o.orderId}`).sort());
  });

  it('answers null for an order the POS does not know', async () => {
    const connector = createPosOrdersConnector(client('pos', pos, 'p'));
    expect(await connector.orderById('S001-999999')).toBeNull();
    expect((await connector.orderById(dataset.posOrders[0]!.orderId))?.number).toBe(dataset.posOrders[0]!.orderId);
  });

  it('names the POS when it refuses the token', async () => {
    const connector = createPosOrdersConnector(client('pos', pos, 'wrong'));
    await expect(connector.ordersOfLoyaltyIds([busyLoyaltyId])).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', service: 'pos', status: 401 } });
  });
});
