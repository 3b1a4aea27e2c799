import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcesses, type RunningProcess } from '../support/service-process.js';
import { graphql } from '../support/stack.js';

/**
 * The Dockerfile's ENTRYPOINT is `node dist/bin/service.js <service>`. There is
 * no Docker engine here, so this runs the built output the same way: one
 * process per service, each on a port of its own, wired by environment, with
 * the embedded database (no DATABASE_URL), as a scaled-out deployment would.
 */
const services = new ServiceProcesses();
const run = (service: string, env: Record<string, string>) => services.run(service, env);

let gatewayUrl: string;
let inventory: RunningProcess;

beforeAll(async () => {
  const port = { PORT: '0', PRODUCT_PORT: '0', INVENTORY_PORT: '0', CUSTOMER_PORT: '0', ORDER_PORT: '0' };
  const [magento, crm, erp, pos] = await Promise.all(
    (['magento', 'crm', 'erp', 'pos'] as const).map((s) => run(`${s}-sim`, { [`${s.toUpperCase()}_SIM_PORT`]: '0' })),
  );
  const upstreams = { MAGENTO_URL: magento!, CRM_URL: crm!, ERP_URL: erp!, POS_URL: pos! };
  // Inventory's process is kept, to be killed below.
  let product: string, customer: string, order: string;
  [inventory, product, customer, order] = await Promise.all([
    services.runProcess('inventory', { ...port, ...upstreams }),
    ...['product', 'customer', 'order'].map((s) => run(s, { ...port, ...upstreams })),
  ] as const);
  gatewayUrl = await run('gateway', {
    ...port,
    PRODUCT_URL: `${product}/graphql`,
    INVENTORY_URL: `${inventory.url}/graphql`,
    CUSTOMER_URL: `${customer}/graphql`,
    ORDER_URL: `${order}/graphql`,
  });
}, 120_000);

afterAll(() => services.stopAll());

describe('the built image entrypoint, one process per service', () => {
  it('answers the storefront product + stock query through the gateway', async () => {
    const { status, body } = await graphql(`${gatewayUrl}/graphql`, '{ products(first: 3) { totalCount edges { node { sku name stock { available inStock } } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.products.totalCount).toBe(200);
    expect(body.data!.products.edges).toHaveLength(3);
  });

  it('is healthy and ready, with every subgraph ready', async () => {
    const res = await fetch(`${gatewayUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', subgraphs: { product: 'ready', inventory: 'ready', customer: 'ready', order: 'ready' } });
  });

  it('serves no GraphiQL in production', async () => {
    const res = await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  // Last: it takes a subgraph away.
  it('serves partial data naming the subgraph when its process is killed', async () => {
    inventory.child.kill('SIGKILL');
    await inventory.exited;
    const { status, body } = await graphql(`${gatewayUrl}/graphql`, '{ products(first: 2) { totalCount } product(sku: "CG-000001") { name stock { available } } }');
    expect(status).toBe(200);
    // Product.stock is non-null, so the product whose stock could not be read is null; the list is served.
    expect(body.data).toEqual({ products: { totalCount: 200 }, product: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'inventory' });
  });
});
