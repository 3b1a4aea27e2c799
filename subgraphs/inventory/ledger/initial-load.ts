import type { Database, Queryable } from '../../../lib/db/database.js';
import type { Logger } from '../../../lib/logger.js';
import type { ErpConnector } from '../connectors/erp-connector.js';
import type { PosConnector } from '../connectors/pos-connector.js';
import { CHUNK_SIZE, insertLocations, insertStockLevels, upsertInventoryItems, type NewInventoryItem, type NewStockLevel } from './ledger-bulk-writer.js';
import { LedgerRepository } from './ledger-repository.js';
import { LEDGER_WRITE_LOCK } from './ledger-writer.js';
import { readAhead } from './read-ahead.js';

export interface InitialLoadResult {
  /** False when the ledger already had locations: nothing was fetched. */
  loaded: boolean;
  locations: number;
  stockLevels: number;
  items: number;
  /** Records the ERP or POS sent that failed validation (or repeated a SKU at a location) and were skipped. */
  invalidRecords: number;
  durationMs: number;
}

export interface InitialLoadSources {
  erp: ErpConnector;
  pos: PosConnector;
}

/** What one location's levels come in as: a page of levels (a warehouse's whole payload is one page). */
interface LevelsPage {
  locationId: string;
  levels: NewStockLevel[];
  invalid: number;
  discontinued?: ReadonlySet<string>;
}

/**
 * Fills an empty ledger: warehouses and their stock from the ERP, stores and
 * their stock from the POS, all in one transaction (a failed load leaves the
 * ledger empty, so the next start tries again). An advisory lock makes
 * replicas starting together load once: the others wait, then find locations.
 * No stock events are written: this is the opening balance, not a change.
 */
export async function loadLedgerOnFirstStart(
  db: Database,
  sources: InitialLoadSources,
  logger: Logger,
  options: { signal?: AbortSignal; now?: () => Date } = {},
): Promise<InitialLoadResult> {
  const started = Date.now();
  const skipped = (): InitialLoadResult => ({ loaded: false, locations: 0, stockLevels: 0, items: 0, invalidRecords: 0, durationMs: Date.now() - started });
  // The cheap check first, so a restart calls neither the ERP nor the POS.
  if (await new LedgerRepository(db).hasLocations()) return skipped();

  return db.transaction(async (tx) => {
    // The load is long by nature; a second replica's wait for the lock is as long.
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('inventory_initial_load'))");
    if (await new LedgerRepository(tx).hasLocations()) return skipped();
    // Writes the levels too: a stock change (adjustStock during the load) waits for the opening balance.
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [LEDGER_WRITE_LOCK]);

    const now = options.now?.() ?? new Date();
    const [warehouses, stores] = await Promise.all([sources.erp.listWarehouses(), sources.pos.listStores()]);
    await insertLocations(tx, [
      ...warehouses.map((w) => ({ id: w.id, name: w.name, type: 'WAREHOUSE' as const, source: 'erp' as const })),
      ...stores.map((s) => ({ id: s.storeId, name: s.name, type: 'STORE' as const, source: 'pos' as const })),
    ]);

    async function* pages(): AsyncGenerator<LevelsPage> {
      for (const w of warehouses) {
        const { items, invalid } = await sources.erp.fetchInventory(w.id);
        // The ERP sends quantities, not when they changed: the level is as of this load.
        const levels = items.map((i) => ({ sku: i.sku, onHand: i.qty, updatedAt: now }));
        yield { locationId: w.id, levels, invalid, discontinued: new Set(items.filter((i) => i.discontinued).map((i) => i.sku)) };
      }
      for (const s of stores) {
        for await (const page of sources.pos.stockPages(s.storeId)) {
          yield { locationId: s.storeId, levels: page.items.map((i) => ({ sku: i.sku, onHand: i.onHand, updatedAt: i.updatedAt })), invalid: page.invalid };
        }
      }
    }

    const erpLocations = new Set(warehouses.map((w) => w.id));
    const items = new Map<string, NewInventoryItem>();
    const writer = new LocationWriter(tx);
    let invalidRecords = 0;
    for await (const page of readAhead(pages())) {
      options.signal?.throwIfAborted();
      invalidRecords += page.invalid;
      const fromErp = erpLocations.has(page.locationId);
      for (const { sku } of page.levels) {
        const known = items.get(sku);
        // Discontinued in any warehouse is discontinued: the flag is the SKU's, not the warehouse's.
        if (fromErp) items.set(sku, { sku, discontinued: (known?.discontinued ?? false) || (page.discontinued?.has(sku) ?? false), syncedAt: now });
        else if (!known) items.set(sku, { sku, discontinued: false, syncedAt: null });
      }
      await writer.add(page.locationId, page.levels);
    }
    await writer.flush();
    options.signal?.throwIfAborted();
    await upsertInventoryItems(tx, [...items.values()], now);

    const result: InitialLoadResult = {
      loaded: true,
      locations: warehouses.length + stores.length,
      stockLevels: writer.written,
      items: items.size,
      invalidRecords: invalidRecords + writer.repeated,
      durationMs: Date.now() - started,
    };
    logger.info(result, 'ledger loaded from the ERP and the POS');
    return result;
  });
}

/**
 * Buffers levels per location and writes them a chunk at a time, so memory
 * stays flat whatever the catalog size. Keeps the first level of each SKU at a
 * location; a repeat is skipped and counted.
 */
class LocationWriter {
  written = 0;
  repeated = 0;
  private locationId: string | undefined;
  private seen = new Set<string>();
  private pending: NewStockLevel[] = [];

  constructor(private readonly tx: Queryable) {}

  async add(locationId: string, levels: readonly NewStockLevel[]): Promise<void> {
    if (locationId !== this.locationId) {
      await this.flush();
      this.locationId = locationId;
      this.seen = new Set();
    }
    for (const level of levels) {
      if (this.seen.has(level.sku)) {
        this.repeated += 1;
        continue;
      }
      this.seen.add(level.sku);
      this.pending.push(level);
    }
    if (this.pending.length >= CHUNK_SIZE) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.locationId === undefined || this.pending.length === 0) return;
    this.written += await insertStockLevels(this.tx, this.locationId, this.pending);
    this.pending = [];
  }
}
