import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/project-root.js';
import { graphql } from '../support/stack.js';

/**
 * The Dockerfile's ENTRYPOINT is `node dist/bin/service.js <service>`. There is
 * no Docker engine here, so this runs the built output the same way: one
 * process per service, each on a port of its own, wired by environment, with
 * the embedded database (no DATABASE_URL), as a scaled-out deployment would.
 */
const root = projectRoot();
const entry = join(root, 'dist', 'bin', 'service.js');
const children: ChildProcess[] = [];

async function run(service: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [entry, service], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', SIM_SKUS: '200', SIM_CUSTOMERS: '200', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${service} exited with ${code} before it was ready`);
  });
  // Keep reading after the ready line: a child blocked on a full pipe would hang.
  const ready = new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return Promise.race([ready, exited]);
}

let gatewayUrl: string;

beforeAll(async () => {
  if (!existsSync(entry)) throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
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

afterAll(async () => {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
});

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
