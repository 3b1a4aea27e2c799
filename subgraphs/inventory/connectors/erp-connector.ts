import { z } from 'zod';
import type { UpstreamConfig } from '../../../lib/config.js';
import { createUpstreamClient, type UpstreamClient } from '../../../lib/http/upstream-client.js';
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
  /** Closes the client it made; a client it was given is its owner's to close. */
  close(): void;
}

/** The ERP's REST API over a client of its own (closed with it). */
export function createErpConnector(config: UpstreamConfig, logger: Logger): ErpConnector {
  const client = createUpstreamClient('erp', config);
  return { ...erpConnector(client, logger), close: () => client.close() };
}

/**
 * The ERP's REST API (spec 002), as docs/upstream-apis.md describes it, over
 * the process's ERP client: sharing it shares its circuit breaker with the
 * sync's downloads. `close()` leaves the client open.
 */
export function erpConnector(client: UpstreamClient, logger: Logger): ErpConnector {
  return {
    listWarehouses: () => client.get('/warehouses', warehouses),
    async fetchInventory(warehouseId, modifiedSince) {
      const params = { warehouse: warehouseId, ...(modifiedSince ? { modifiedSince: modifiedSince.toISOString() } : {}) };
      // The array is checked as a whole, its records one by one.
      const records = await client.get('/inventory', z.array(z.unknown()), { params });
      return validItems(records, inventoryItem, logger.child({ warehouseId }), 'ERP inventory record');
    },
    close: () => undefined,
  };
}
