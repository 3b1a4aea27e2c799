import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, sendJson, type RunningServer } from '../../../lib/http/http-server.js';
import { testLogger } from '../../../test/support/logger.js';
import { createErpConnector } from './erp-connector.js';
import { createPosConnector } from './pos-connector.js';

/** Connectors against a stub that answers what real systems sometimes do: odd records, broken pages. */
const logger = testLogger('connectors-test');
let stub: RunningServer;
const answers: Record<string, { status: number; body: unknown } | string> = {};

beforeAll(async () => {
  stub = await listen((req, res) => {
    const answer = answers[decodeURIComponent(req.url ?? '')];
    if (answer === undefined) return sendJson(res, 404, { error: 'not_found', message: req.url });
    if (typeof answer === 'string') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer);
      return;
    }
    sendJson(res, answer.status, answer.body);
  }, 0);
});
afterAll(() => stub?.close());

const config = () => ({ url: stub.url, token: 't', timeoutMs: 2_000, retries: 0 });

describe('ERP connector', () => {
  it('keeps valid inventory records, skips and counts the rest', async () => {
    answers['/inventory?warehouse=WH-01'] = {
      status: 200,
      body: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 0, discontinued: true }, { sku: '', qty: 2 }, { sku: 'C', qty: -1 }, { sku: 'D', qty: 1.5 }, 'junk', { qty: 3 }],
    };
    const erp = createErpConnector(config(), logger);
    expect(await erp.fetchInventory('WH-01')).toEqual({ items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 0, discontinued: true }], invalid: 5 });
    erp.close();
  });

  it('passes modifiedSince as ISO-8601, and names the ERP when its answer is not an array', async () => {
    answers['/inventory?warehouse=WH-02&modifiedSince=2026-11-01T00:00:00.000Z'] = { status: 200, body: [] };
    answers['/inventory?warehouse=WH-03'] = { status: 200, body: { items: [] } };
    answers['/inventory?warehouse=WH-04'] = '[{"sku": "A", "q';
    const erp = createErpConnector(config(), logger);
    expect(await erp.fetchInventory('WH-02', new Date('2026-11-01T00:00:00Z'))).toEqual({ items: [], invalid: 0 });
    await expect(erp.fetchInventory('WH-03')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', service: 'erp' } });
    await expect(erp.fetchInventory('WH-04')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', service: 'erp' } });
    erp.close();
  });
});

describe('POS connector', () => {
  it('follows the stock cursor to the end, skipping invalid records', async () => {
    const at = '2026-10-01T10:00:00.000Z';
    answers['/api/v1/stores/S001/stock?limit=1000'] = { status: 200, body: { storeId: 'S001', items: [{ sku: 'A', onHand: 2, updatedAt: at }, { sku: 'B', onHand: 1, updatedAt: 'yesterday' }], nextCursor: 'p2' } };
    answers['/api/v1/stores/S001/stock?limit=1000&cursor=p2'] = { status: 200, body: { storeId: 'S001', items: [{ sku: 'C', onHand: -1, updatedAt: at }], nextCursor: null } };
    const pos = createPosConnector(config(), logger);
    const pages = [];
    for await (const page of pos.stockPages('S001')) pages.push(page);
    expect(pages).toEqual([
      { items: [{ sku: 'A', onHand: 2, updatedAt: new Date(at) }], invalid: 1 },
      { items: [{ sku: 'C', onHand: -1, updatedAt: new Date(at) }], invalid: 0 },
    ]);
    pos.close();
  });

  it('names the POS when a page is missing', async () => {
    const pos = createPosConnector(config(), logger);
    const pages = pos.stockPages('S404');
    await expect(pages.next()).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND', service: 'pos' } });
    pos.close();
  });
});
