import { z } from 'zod';
import type { UpstreamConfig } from '../../../lib/config.js';
import { createUpstreamClient } from '../../../lib/http/upstream-client.js';
import type { Logger } from '../../../lib/logger.js';
import { validItems } from './validate-items.js';

const warehouses = z.array(z.object({ id: z.string().min(1), name: z.string().min(1), city: z.string().optional() }));
const inventoryItem = z.object({ sku: z.string().min(1), qty: z.number().int().min(0), discontinued: z.boolean().optional() });

export type ErpWarehouse = z.infer<typeof warehouses>[number];
export type ErpInventoryItem = z.infer<typeof inventoryItem>;

export interface ErpConnector {
  listWarehouses(): Promise<ErpWarehouse[]>;
  /** One warehouse's levels (all, or those changed at or after `modifiedSince`); invalid records are skipped and counted. */
  fetchInventory(warehouseId: string, modifiedSince?: Date): Promise<{ items: ErpInventoryItem[]; invalid: number }>;
  close(): void;
}

/** The ERP's REST API (spec 002), as docs/upstream-apis.md describes it. */
export function createErpConnector(config: UpstreamConfig, logger: Logger): ErpConnector {
  const client = createUpstreamClient('erp', config);
  return {
    listWarehouses: () => client.get('/warehouses', warehouses),
    async fetchInventory(warehouseId, modifiedSince) {
      const params = { warehouse: warehouseId, ...(modifiedSince ? { modifiedSince: modifiedSince.toISOString() } : {}) };
      // The array is checked as a whole, its records one by one.
      const records = await client.get('/inventory', z.array(z.unknown()), { params });
      return validItems(records, inventoryItem, logger.child({ warehouseId }), 'ERP inventory record');
    },
    close: () => client.close(),
  };
}
