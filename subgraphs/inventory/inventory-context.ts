import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import type { ErpSync } from './erp-sync/erp-sync.js';
import { createInventoryLoaders, type InventoryLoaders } from './inventory-loaders.js';
import type { LedgerRepository } from './ledger/ledger-repository.js';
import type { LedgerWriter } from './ledger/ledger-writer.js';

/** What inventory resolvers see: the ledger to read and write, and loaders that live for one request. */
export interface InventoryContext extends BaseContext {
  ledger: LedgerRepository;
  /** Stock changes go through it (it wakes the outbox relay after each commit). */
  writer: LedgerWriter;
  /** ERP sync jobs: started by `runErpSync`, listed by `syncJobs`. */
  erpSync: ErpSync;
  loaders: InventoryLoaders;
}

/** The schema has no runtime settings of its own: the ledger reaches resolvers through here. */
export function inventoryContext(services: { ledger: LedgerRepository; writer: LedgerWriter; erpSync: ErpSync }): (base: BaseContext) => InventoryContext {
  const { ledger, writer, erpSync } = services;
  return (base) => ({ ...base, ledger, writer, erpSync, loaders: createInventoryLoaders(ledger) });
}
