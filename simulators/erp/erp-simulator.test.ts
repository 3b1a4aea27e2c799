import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import type { RunningSimulator } from '../common/simulator-server.js';
import { generateDataset, type Dataset } from '../data/dataset.js';
import { startErpSimulator } from './erp-simulator.js';

const TOKEN = 'erp-test-token';
const NO_FAULTS = { latencyMs: 0, errorRate: 0, outage: false };
const logger = testLogger('erp-simulator-test');

async function start(dataset: Dataset): Promise<RunningSimulator> {
  return startErpSimulator({ dataset, port: 0, token: TOKEN, faults: { ...NO_FAULTS }, logger });
}

function call(sim: RunningSimulator, path: string, init: RequestInit = {}, token = TOKEN) {
  return fetch(`${sim.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe('ERP simulator', () => {
  const dataset = generateDataset(7, { skus: 300, warehouses: 3, stores: 2, customers: 10 });
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await start(dataset);
  });
  afterAll(() => sim?.close());

  it('lists warehouses', async () => {
    const res = await call(sim, '/warehouses');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual(dataset.warehouses.map((w) => ({ id: w.id, name: w.name, city: w.city })));
  });

  it('answers WH-01 when no warehouse is named, flagging discontinued SKUs', async () => {
    const items = await json<Array<{ sku: string; qty: number; discontinued?: boolean }>>(await call(sim, '/inventory'));
    const wh = dataset.warehouses[0]!;
    expect(items).toHaveLength(dataset.products.length);
    for (const [i, p] of dataset.products.entries()) {
      expect(items[i]).toEqual(p.discontinued ? { sku: p.sku, qty: 0, discontinued: true } : { sku: p.sku, qty: dataset.baselineQty(p, wh) });
    }
    expect(dataset.products.some((p) => p.discontinued)).toBe(true);
  });

  it('answers one named warehouse', async () => {
    const wh = dataset.warehouses[2]!;
    const items = await json<Array<{ sku: string; qty: number }>>(await call(sim, `/inventory?warehouse=${wh.id}`));
    const p = dataset.products[5]!;
    expect(items[5]).toMatchObject({ sku: p.sku, qty: dataset.baselineQty(p, wh) });
  });

  it('keeps only levels changed at or after modifiedSince', async () => {
    const wh = dataset.warehouses[1]!;
    const stamps = dataset.products.map((p) => dataset.baselineModifiedAt(p, wh)).sort();
    const since = stamps[Math.floor(stamps.length / 2)]!;
    const expected = dataset.products.filter((p) => dataset.baselineModifiedAt(p, wh) >= since).map((p) => p.sku);
    const items = await json<Array<{ sku: string }>>(await call(sim, `/inventory?warehouse=${wh.id}&modifiedSince=${encodeURIComponent(since)}`));
    expect(items.map((i) => i.sku)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(dataset.products.length);
  });

  it('refuses a bad modifiedSince with 400 and an unknown warehouse with 404, in its own error shape', async () => {
    const bad = await call(sim, '/inventory?modifiedSince=yesterday');
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ error: 'bad_request', message: expect.stringContaining('modifiedSince') });
    const unknown = await call(sim, '/inventory?warehouse=WH-99');
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toEqual({ error: 'not_found', message: 'Unknown warehouse WH-99.' });
  });

  it('answers 401 without the right token, except on /healthz', async () => {
    const res = await call(sim, '/warehouses', {}, 'wrong');
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: 'unauthorized' });
    expect((await fetch(`${sim.url}/healthz`)).status).toBe(200);
  });

  it('applies stock counts on top of the baseline, stamped now, adding unknown SKUs', async () => {
    const before = new Date().toISOString();
    const [a, b] = [dataset.products[10]!, dataset.products[11]!];
    const res = await call(sim, '/admin/inventory', {
      method: 'POST',
      body: JSON.stringify([
        { warehouse: 'WH-01', sku: a.sku, qty: 123 },
        { warehouse: 'WH-01', sku: b.sku, qty: 0, discontinued: true },
        { warehouse: 'WH-01', sku: 'NEW-SKU-1', qty: 5 },
      ]),
    });
    expect(res.status).toBe(200);
    expect((await json(res)).updated).toHaveLength(3);

    // The generated history is all before now, so only the counted levels changed since `before`.
    const changed = await json(await call(sim, `/inventory?warehouse=WH-01&modifiedSince=${before}`));
    expect(changed).toEqual([{ sku: a.sku, qty: 123 }, { sku: b.sku, qty: 0, discontinued: true }, { sku: 'NEW-SKU-1', qty: 5 }]);
    const all = await json<Array<{ sku: string; qty: number }>>(await call(sim, '/inventory?warehouse=WH-01'));
    expect(all).toHaveLength(dataset.products.length + 1);
    expect(all[10]).toEqual({ sku: a.sku, qty: 123 });
    expect(all.at(-1)).toEqual({ sku: 'NEW-SKU-1', qty: 5 });
    // Other warehouses are untouched.
    const other = await json<Array<{ sku: string; qty: number }>>(await call(sim, '/inventory?warehouse=WH-02'));
    expect(other).toHaveLength(dataset.products.length);
  });

  it('refuses a malformed stock count whole', async () => {
    const res = await call(sim, '/admin/inventory', {
      method: 'POST',
      body: JSON.stringify([{ warehouse: 'WH-01', sku: 'CG-000001', qty: 7 }, { warehouse: 'WH-77', sku: 'CG-000002', qty: 1 }]),
    });
    expect(res.status).toBe(400);
    const first = await json<Array<{ sku: string; qty: number }>>(await call(sim, '/inventory?warehouse=WH-01'));
    expect(first[0]!.qty).not.toBe(7);
    const negative = await call(sim, '/admin/inventory', { method: 'POST', body: JSON.stringify([{ warehouse: 'WH-01', sku: 'X', qty: -1 }]) });
    expect(negative.status).toBe(400);
  });

  it('suffers faults on business routes, never on admin routes, and counts the business requests it served', async () => {
    await call(sim, '/admin/stats/reset', { method: 'POST' });
    await call(sim, '/admin/faults', { method: 'PUT', body: JSON.stringify({ errorRate: 1 }) });
    try {
      const failed = await call(sim, '/warehouses');
      expect(failed.status).toBe(500);
      expect(failed.headers.get('content-type')).toContain('text/html');
      await failed.text();
      const admin = await call(sim, '/admin/inventory', { method: 'POST', body: JSON.stringify([]) });
      expect(admin.status).toBe(200);
    } finally {
      await call(sim, '/admin/faults', { method: 'PUT', body: JSON.stringify({ errorRate: 0, outage: true }) });
    }
    const down = await call(sim, '/inventory');
    expect(down.status).toBe(503);
    await down.text();
    await call(sim, '/admin/faults', { method: 'PUT', body: JSON.stringify({ outage: false }) });
    expect((await call(sim, '/warehouses')).status).toBe(200);
    const stats = await json(await call(sim, '/admin/stats'));
    // Faulted answers were never served; admin calls are not counted.
    expect(stats.byRoute).toEqual({ 'GET /warehouses': 1 });
  });
});

describe('ERP simulator at scale', () => {
  it('answers a 100,000-SKU full payload', async () => {
    const dataset = generateDataset(1, { skus: 100_000, warehouses: 1, stores: 1, customers: 1 });
    const sim = await start(dataset);
    try {
      const items = await json<Array<{ sku: string; qty: number }>>(await call(sim, '/inventory'));
      expect(items).toHaveLength(100_000);
      expect(items[99_999]!.sku).toBe('CG-100000');
    } finally {
      await sim.close();
    }
  });
});
