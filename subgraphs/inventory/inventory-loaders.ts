import DataLoader from 'dataloader';
import type { StockEvent } from '../../lib/events/stock-event.js';
import type { LocationRow, StockLevelRow } from './ledger/ledger-rows.js';
import type { LedgerRepository } from './ledger/ledger-repository.js';

/** The levels of one SKU, at these locations only when `locationIds` is given. */
export interface StockLevelsKey {
  sku: string;
  locationIds?: readonly string[] | null;
}

export interface InventoryLoaders {
  /** Units available per SKU over every location; 0 for a SKU the ledger does not know. */
  availableBySku: DataLoader<string, number>;
  stockLevels: DataLoader<StockLevelsKey, StockLevelRow[], string>;
  locationById: DataLoader<string, LocationRow | null>;
  /** Recorded stock changes by event id: the gateway resolves every `stockChanged` event through `stockChange`, many per request. */
  stockChangeById: DataLoader<string, StockEvent | null>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Which locations a key asks for, as one string: keys that ask the same share one query. */
const filterOf = (key: StockLevelsKey) => (key.locationIds ? JSON.stringify([...new Set(key.locationIds)].sort()) : '*');

/**
 * Per-request loaders: every `stock`, `stockByLocation` and `location` asked
 * for in one operation (50 products from the gateway's `_entities` call, say)
 * becomes one SQL query per loader, not one per product.
 */
export function createInventoryLoaders(ledger: LedgerRepository): InventoryLoaders {
  const locationById = new DataLoader<string, LocationRow | null>(async (ids) => {
    const found = new Map((await ledger.locationsByIds(ids)).map((l) => [l.id, l]));
    return ids.map((id) => found.get(id) ?? null);
  });

  const availableBySku = new DataLoader<string, number>(async (skus) => {
    const available = await ledger.availableBySku(skus);
    return skus.map((sku) => available.get(sku) ?? 0);
  });

  const stockLevels = new DataLoader<StockLevelsKey, StockLevelRow[], string>(
    async (keys) => {
      // Usually one group: the same field with the same arguments on every product.
      const groups = new Map<string, StockLevelsKey[]>();
      for (const key of keys) push(groups, filterOf(key), key);
      const levels = new Map<string, StockLevelRow[]>();
      await Promise.all(
        [...groups].map(async ([filter, group]) => {
          const skus = [...new Set(group.map((k) => k.sku))];
          const locationIds = filter === '*' ? undefined : (JSON.parse(filter) as string[]);
          for (const row of await ledger.stockLevels(skus, locationIds)) {
            push(levels, `${filter}\u0000${row.sku}`, row);
            // The query read each level's location too: no second query for `location`.
            locationById.prime(row.location.id, row.location);
          }
        }),
      );
      return keys.map((key) => levels.get(`${filterOf(key)}\u0000${key.sku}`) ?? []);
    },
    { cacheKeyFn: (key) => `${filterOf(key)}\u0000${key.sku}` },
  );

  const stockChangeById = new DataLoader<string, StockEvent | null>(async (ids) => {
    const found = new Map((await ledger.stockEventsByIds(ids)).map((e) => [e.eventId, e]));
    return ids.map((id) => found.get(id) ?? null);
  });

  return { availableBySku, stockLevels, locationById, stockChangeById };
}
