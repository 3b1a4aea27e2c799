import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStockEventBus } from '../../lib/events/memory-stock-event-bus.js';
import { DEFAULT_SIZES } from '../../simulators/data/dataset.js';
import { queryServer } from '../../test/support/graphql-client.js';
import { totalStock } from '../../test/support/stock.js';
import { startUpstreams, type UpstreamFixture } from '../../test/support/upstream-fixture.js';
import { inventoryOptions } from '../../test/support/inventory-options.js';
import { startInventorySubgraph, type RunningInventorySubgraph } from './index.js';

/** The embedded path `npm start` takes with no DATABASE_URL: PGlite in memory, the default catalog. */
let upstreams: UpstreamFixture;
let subgraph: RunningInventorySubgraph;
const bus = createMemoryStockEventBus();

beforeAll(async () => {
  upstreams = await startUpstreams({ ...DEFAULT_SIZES, customers: 50 });
  subgraph = await startInventorySubgraph(inventoryOptions(upstreams, bus, undefined));
});
afterAll(async () => {
  await subgraph?.close();
  await bus.close();
  await upstreams?.close();
});

describe('inventory subgraph on embedded PGlite', () => {
  it('loads 2,000 SKUs at 22 locations on first start', async () => {
    const { dataset } = upstreams;
    expect(await subgraph.initialLoad).toMatchObject({
      loaded: true,
      locations: 22,
      stockLevels: dataset.products.length * 22,
      items: dataset.products.length,
      invalidRecords: 0,
    });
    expect((await fetch(`${subgraph.url}/readyz`)).status).toBe(200);
  });

  it('serves stock from the ledger', async () => {
    const product = upstreams.dataset.products[1234]!;
    const { data, errors } = await queryServer(
      subgraph,
      'query($sku: ID!) { _entities(representations: [{__typename: "Product", sku: $sku}]) { ... on Product { stock { available inStock } } } locations { id } }',
      { sku: product.sku },
    );
    expect(errors).toBeUndefined();
    const available = totalStock(upstreams.dataset, product);
    expect(data!._entities[0].stock).toEqual({ available, inStock: available > 0 });
    expect(data!.locations).toHaveLength(22);
  });
});
