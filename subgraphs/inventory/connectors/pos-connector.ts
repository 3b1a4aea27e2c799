import { z } from 'zod';
import type { UpstreamConfig } from '../../../lib/config.js';
import { createUpstreamClient, type UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { Logger } from '../../../lib/logger.js';
import { validItems } from './validate-items.js';

const stores = z.object({
  stores: z.array(z.object({ storeId: z.string().min(1), name: z.string().min(1), city: z.string().optional(), timezone: z.string().optional() })),
});
const stockPage = z.object({ storeId: z.string(), items: z.array(z.unknown()), nextCursor: z.string().nullable() });
const stockItem = z.object({
  sku: z.string().min(1),
  // A till may have sold what the books said was not there: onHand can be negative.
  onHand: z.number().int(),
  updatedAt: z.string().datetime({ offset: true }).transform((s) => new Date(s)),
});

export type PosStore = z.infer<typeof stores>['stores'][number];
export type PosStockItem = z.infer<typeof stockItem>;

/** Stock items per page; the POS serves at most 1,000. */
export const POS_STOCK_PAGE_SIZE = 1000;

export interface PosConnector {
  listStores(): Promise<PosStore[]>;
  /** One store's stock, page by page (cursor paging to the end); invalid records are skipped and counted. */
  stockPages(storeId: string): AsyncGenerator<{ items: PosStockItem[]; invalid: number }>;
  /** Closes the client it made; a client it was given is its owner's to close. */
  close(): void;
}

/** The POS back-office API over a client of its own (closed with it). */
export function createPosConnector(config: UpstreamConfig, logger: Logger): PosConnector {
  const client = createUpstreamClient('pos', config);
  return { ...posConnector(client, logger), close: () => client.close() };
}

/** The POS back-office API (`/api/v1`), as docs/upstream-apis.md describes it, over the caller's client (`close()` leaves it open). */
export function posConnector(client: UpstreamClient, logger: Logger): PosConnector {
  return {
    listStores: async () => (await client.get('/api/v1/stores', stores)).stores,
    async *stockPages(storeId) {
      let cursor: string | null = null;
      do {
        const params: Record<string, string | number> = { limit: POS_STOCK_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
        const page: z.infer<typeof stockPage> = await client.get(`/api/v1/stores/${encodeURIComponent(storeId)}/stock`, stockPage, { params });
        yield validItems(page.items, stockItem, logger.child({ storeId }), 'POS stock record');
        cursor = page.nextCursor;
      } while (cursor);
    },
    close: () => undefined,
  };
}
