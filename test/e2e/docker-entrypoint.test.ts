import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceProcesses } from '../support/service-process.js';
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

beforeAll(async () => {
  const port = { PORT: '0', PRODUCT_PORT: '0', INVENTORY_PORT: '0', CUSTOMER_PORT: '0', ORDER_PORT: '0' };
  const [magento, crm, erp, pos] = await Promise.all(
    (['magento', 'crm', 'erp', 'pos'] as const).map((s) => run(`${s}-sim`, { [`${s.toUpperCase()}_SIM_PORT`]: '0' })),
  );
  const upstreams = { MAGENTO_URL: magento!, CRM_URL: crm!, ERP_URL: erp!, POS_URL: pos! };
  const [product, inventory, customer, order] = await Promise.all(
    ['product', 'inventory', 'customer', 'order'].map((s) => run(s, { ...port, ...upstreams })),
  );
  gatewayUrl = await run('gateway', {
    ...port,
    PRODUCT_URL: `${product}/graphql`,
    INVENTORY_URL: `${inventory}/graphql`,
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
});
