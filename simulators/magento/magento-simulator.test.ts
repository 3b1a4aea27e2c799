import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import type { RunningSimulator } from '../common/simulator-server.js';
import { generateDataset } from '../data/dataset.js';
import { startMagentoSimulator } from './magento-simulator.js';

const TOKEN = 'magento-test-token';
const logger = testLogger('magento-simulator-test');
const dataset = generateDataset(11, { skus: 120, warehouses: 2, stores: 1, customers: 60 });

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startMagentoSimulator({ dataset, port: 0, token: TOKEN, faults: { latencyMs: 0, errorRate: 0, outage: false }, logger });
});
afterAll(() => sim?.close());

function call(path: string, init: RequestInit = {}, token: string | null = TOKEN) {
  return fetch(`${sim.url}${path}`, {
    ...init,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json', ...init.headers },
  });
}
async function json<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await call(path, init);
  return { status: res.status, body: (await res.json()) as T };
}
/** `searchCriteria[...]` for one group per filter, plus paging. */
function criteria(filters: Array<[string, string, string]>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  filters.forEach(([field, value, condition], g) => {
    params.set(`searchCriteria[filter_groups][${g}][filters][0][field]`, field);
    params.set(`searchCriteria[filter_groups][${g}][filters][0][value]`, value);
    params.set(`searchCriteria[filter_groups][${g}][filters][0][condition_type]`, condition);
  });
  return params.toString();
}
const stockOf = (i: number) => dataset.warehouses.reduce((sum, w) => sum + dataset.baselineQty(dataset.products[i]!, w), 0);

describe('Magento simulator', () => {
  it('refuses a missing or wrong token with 401 in Magento’s shape; /healthz needs none', async () => {
    for (const token of [null, 'wrong']) {
      const res = await call('/rest/V1/products/CG-000001', {}, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ message: "The consumer isn't authorized to access %resources.", parameters: { resources: expect.any(String) } });
    }
    expect((await call('/healthz', {}, null)).status).toBe(200);
  });

  it('answers one product as Magento shapes it, and 404 for an unknown SKU or route', async () => {
    const p = dataset.products[4]!;
    const { status, body } = await json(`/rest/V1/products/${p.sku}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: p.id,
      sku: p.sku,
      name: p.name,
      price: p.price,
      type_id: 'simple',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      extension_attributes: {
        website_ids: [1],
        category_links: p.categoryIds.map((id, position) => ({ position, category_id: String(id) })),
        stock_item: { product_id: p.id, stock_id: 1, qty: stockOf(4), is_in_stock: stockOf(4) > 0 },
      },
      custom_attributes: expect.arrayContaining([{ attribute_code: 'description', value: p.description }]),
    });
    expect(body.media_gallery_entries).toHaveLength(p.imageCount);
    expect(body.media_gallery_entries[0]).toMatchObject({ media_type: 'image', types: ['image', 'small_image', 'thumbnail'], file: `/c/g/${p.sku.toLowerCase()}-1.jpg` });

    expect(await json('/rest/V1/products/NO-SUCH-SKU')).toEqual({
      status: 404,
      body: { message: "The product that was requested doesn't exist. Verify the product and try again." },
    });
    expect(await json('/rest/V1/nothing-here')).toEqual({ status: 404, body: { message: 'Request does not match any route.' } });
  });

  it('searches products: total_count of every match, the page asked for, the criteria echoed', async () => {
    const query = criteria([['price', '100', 'gt']], { 'searchCriteria[pageSize]': '10', 'searchCriteria[currentPage]': '2' });
    const { status, body } = await json(`/rest/V1/products?${query}`);
    const expected = dataset.products.filter((p) => p.price > 100);
    expect(status).toBe(200);
    expect(body.total_count).toBe(expected.length);
    expect(body.items.map((p: { sku: string }) => p.sku)).toEqual(expected.slice(10, 20).map((p) => p.sku));
    expect(body.search_criteria).toEqual({
      filter_groups: [{ filters: [{ field: 'price', value: '100', condition_type: 'gt' }] }],
      page_size: 10,
      current_page: 2,
    });
  });

  it('filters products by category and by quantity_and_stock_status over all sources', async () => {
    const leaf = dataset.products[0]!.categoryIds[1]!;
    const inCategory = await json(`/rest/V1/products?${criteria([['category_id', String(leaf), 'eq']])}`);
    expect(inCategory.body.items.map((p: { id: number }) => p.id)).toEqual(dataset.products.filter((p) => p.categoryIds.includes(leaf)).map((p) => p.id));

    const inStock = await json(`/rest/V1/products?${criteria([['quantity_and_stock_status', '1', 'eq']])}`);
    const outOfStock = await json(`/rest/V1/products?${criteria([['quantity_and_stock_status', '0', 'eq']])}`);
    expect(inStock.body.items.map((p: { id: number }) => p.id)).toEqual(dataset.products.filter((_, i) => stockOf(i) > 0).map((p) => p.id));
    expect(outOfStock.body.total_count).toBe(dataset.products.length - inStock.body.total_count);
    expect(outOfStock.body.total_count).toBeGreaterThan(0);
  });

  it('refuses a bad searchCriteria with a 400 in Magento’s shape', async () => {
    const unknownCondition = await json(`/rest/V1/products?${criteria([['sku', 'x', 'finset']])}`);
    expect(unknownCondition.status).toBe(400);
    expect(unknownCondition.body).toMatchObject({ message: expect.any(String), parameters: { conditionType: 'finset' } });
    const unknownField = await json(`/rest/V1/orders?${criteria([['colour', 'red', 'eq']])}`);
    expect(unknownField).toMatchObject({ status: 400, body: { parameters: { fieldName: 'colour' } } });
  });

  it('serves the category tree, one category, and the category list', async () => {
    const tree = await json('/rest/V1/categories');
    expect(tree.body).toMatchObject({ id: 2, parent_id: 1, name: 'Default Category', level: 1, is_active: true });
    const tops = dataset.categories.filter((c) => c.parentId === 2);
    expect(tree.body.children_data.map((c: { name: string }) => c.name)).toEqual(tops.map((c) => c.name));
    const leafCount = tree.body.children_data[0].children_data[0].product_count;
    expect(leafCount).toBe(dataset.products.filter((p) => p.categoryIds.includes(tops[0]!.id + 1)).length);

    const top = tops[0]!;
    const children = dataset.categories.filter((c) => c.parentId === top.id).map((c) => c.id);
    expect((await json(`/rest/V1/categories/${top.id}`)).body).toMatchObject({ id: top.id, parent_id: 2, name: top.name, level: 2, children: children.join(','), path: `1/2/${top.id}` });
    expect(await json('/rest/V1/categories/999')).toEqual({
      status: 404,
      body: { message: 'No such entity with %fieldName = %fieldValue', parameters: { fieldName: 'id', fieldValue: '999' } },
    });

    const list = await json(`/rest/V1/categories/list?${criteria([['parent_id', String(top.id), 'eq']])}`);
    expect(list.body.total_count).toBe(children.length);
    expect(list.body.items.map((c: { id: number }) => c.id)).toEqual(children);
  });

  it('serves the store config with media URLs where the caller reached it', async () => {
    const { body } = await json('/rest/V1/store/storeConfigs');
    expect(body).toEqual([
      expect.objectContaining({ id: 1, code: 'default', base_currency_code: 'USD', base_url: `${sim.url}/`, base_media_url: `${sim.url}/media/` }),
    ]);
  });

  it('searches orders by customer and serves one order; a guest order has no customer_id', async () => {
    const customerId = dataset.magentoOrders.find((o) => o.customerId !== null)!.customerId!;
    const expected = dataset.magentoOrders.filter((o) => o.customerId === customerId);
    const { body } = await json(`/rest/V1/orders?${criteria([['customer_id', String(customerId), 'in']])}`);
    expect(body.items.map((o: { entity_id: number }) => o.entity_id)).toEqual(expected.map((o) => o.entityId));
    expect(body.items[0]).toMatchObject({
      increment_id: expected[0]!.incrementId,
      customer_id: customerId,
      customer_is_guest: 0,
      order_currency_code: 'USD',
      grand_total: expected[0]!.grandTotal,
      items: expected[0]!.lines.map((l) => expect.objectContaining({ sku: l.sku, qty_ordered: l.quantity, price: l.unitPrice, product_type: 'simple' })),
    });

    const guest = dataset.magentoOrders.find((o) => o.customerId === null)!;
    const one = await json(`/rest/V1/orders/${guest.entityId}`);
    expect(one.body).toMatchObject({ entity_id: guest.entityId, customer_is_guest: 1, customer_email: guest.email });
    expect(one.body).not.toHaveProperty('customer_id');
    expect(await json('/rest/V1/orders/99999999')).toEqual({
      status: 404,
      body: { message: "The entity that was requested doesn't exist. Verify the entity and try again." },
    });
  });

  it('searches customers (email compares case-insensitively) and serves one customer', async () => {
    const c = dataset.magentoCustomers[3]!;
    const { body } = await json(`/rest/V1/customers/search?${criteria([['email', c.email.toUpperCase(), 'eq']])}`);
    expect(body.total_count).toBe(1);
    expect(body.items[0]).toMatchObject({ id: c.id, email: c.email, group_id: 1, addresses: [expect.objectContaining({ postcode: c.postcode, default_billing: true })] });
    expect((await json(`/rest/V1/customers/${c.id}`)).body).toEqual(body.items[0]);
    expect((await json('/rest/V1/customers/99999')).status).toBe(404);
  });

  it('serves MSI source items, one per product and warehouse', async () => {
    const [a, b] = [dataset.products[2]!, dataset.products[9]!];
    const { body } = await json(`/rest/V1/inventory/source-items?${criteria([['sku', `${a.sku},${b.sku}`, 'in']])}`);
    expect(body.total_count).toBe(2 * dataset.warehouses.length);
    expect(body.items).toEqual(
      [a, b].flatMap((p) =>
        dataset.warehouses.map((w) => {
          const quantity = dataset.baselineQty(p, w);
          return { sku: p.sku, source_code: w.id.toLowerCase(), quantity, status: quantity > 0 ? 1 : 0 };
        }),
      ),
    );
  });

  it('goes down on an outage (503 HTML), comes back, and counts only the business requests it served', async () => {
    await call('/admin/stats/reset', { method: 'POST' });
    await call('/admin/faults', { method: 'PUT', body: JSON.stringify({ outage: true }) });
    try {
      const down = await call('/rest/V1/products/CG-000001');
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toContain('text/html');
      await down.text();
      expect((await json('/admin/faults')).body).toMatchObject({ outage: true });
    } finally {
      await call('/admin/faults', { method: 'PUT', body: JSON.stringify({ outage: false }) });
    }
    expect((await call('/rest/V1/products/CG-000001')).status).toBe(200);
    await call(`/rest/V1/products?${criteria([['sku', 'CG-000001', 'eq']])}`);
    await call(`/rest/V1/products?${criteria([['sku', 'CG-000002', 'eq']])}`);
    await call('/rest/V1/store/storeConfigs');
    const stats = await json('/admin/stats');
    expect(stats.body).toEqual({
      requests: 4,
      byRoute: { 'GET /rest/V1/products/:sku': 1, 'GET /rest/V1/products': 2, 'GET /rest/V1/store/storeConfigs': 1 },
    });
  });

  it('answers cut-off JSON at a garbage rate of 1', async () => {
    await call('/admin/faults', { method: 'PUT', body: JSON.stringify({ garbageRate: 1 }) });
    try {
      const res = await call('/rest/V1/products/CG-000001');
      expect(res.status).toBe(200);
      await expect(res.json()).rejects.toThrow(SyntaxError);
    } finally {
      await call('/admin/faults', { method: 'PUT', body: JSON.stringify({ garbageRate: 0 }) });
    }
  });
});

describe('Magento simulator with a public URL', () => {
  it('announces the configured base URL in the store config', async () => {
    const own = await startMagentoSimulator({ dataset, port: 0, token: TOKEN, faults: { latencyMs: 0, errorRate: 0, outage: false }, logger, publicUrl: 'https://shop.example.com' });
    try {
      const res = await fetch(`${own.url}/rest/V1/store/storeConfigs`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const [config] = (await res.json()) as Array<{ base_media_url: string }>;
      expect(config!.base_media_url).toBe('https://shop.example.com/media/');
    } finally {
      await own.close();
    }
  });
});
