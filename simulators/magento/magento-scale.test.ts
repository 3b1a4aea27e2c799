import { describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { generateDataset } from '../data/dataset.js';
import { startMagentoSimulator } from './magento-simulator.js';

describe('Magento simulator at scale', () => {
  it('answers a 50-SKU `in` search over 100,000 SKUs with exactly those products', async () => {
    const dataset = generateDataset(3, { skus: 100_000, warehouses: 2, stores: 1, customers: 1 });
    const sim = await startMagentoSimulator({
      dataset,
      port: 0,
      token: 't',
      faults: { latencyMs: 0, errorRate: 0, outage: false },
      logger: testLogger('magento-scale-test'),
    });
    try {
      // Spread over the catalog, asked for out of order, with one SKU that does not exist.
      const wanted = Array.from({ length: 49 }, (_, i) => dataset.products[(i * 2_039 + 17) % 100_000]!.sku);
      const params = new URLSearchParams({
        'searchCriteria[filter_groups][0][filters][0][field]': 'sku',
        'searchCriteria[filter_groups][0][filters][0][value]': [...wanted.slice().reverse(), 'NO-SUCH-SKU'].join(','),
        'searchCriteria[filter_groups][0][filters][0][condition_type]': 'in',
        'searchCriteria[pageSize]': '50',
      });
      for (let round = 0; round < 2; round++) {
        const res = await fetch(`${sim.url}/rest/V1/products?${params}`, { headers: { authorization: 'Bearer t' } });
        const body = (await res.json()) as { items: Array<{ id: number; sku: string }>; total_count: number };
        expect(body.total_count).toBe(49);
        // Entity order, as Magento answers without a sort order.
        expect(body.items.map((p) => p.sku)).toEqual([...wanted].sort());
      }
      const last = await fetch(`${sim.url}/rest/V1/products/CG-100000`, { headers: { authorization: 'Bearer t' } });
      expect(((await last.json()) as { id: number }).id).toBe(100_000);
    } finally {
      await sim.close();
    }
  });
});
