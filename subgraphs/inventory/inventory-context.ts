import type { BaseContext } from '../../lib/graphql/graphql-http-handler.js';
import { createInventoryLoaders, type InventoryLoaders } from './inventory-loaders.js';
import type { LedgerRepository } from './ledger/ledger-repository.js';

/** What inventory resolvers see: the ledger, and loaders that live for one request. */
export interface InventoryContext extends BaseContext {
  ledger: LedgerRepository;
  loaders: InventoryLoaders;
}

/** The schema has no runtime settings of its own: the ledger reaches resolvers through here. */
export function inventoryContext(ledger: LedgerRepository): (base: BaseContext) => InventoryContext {
  return (base) => ({ ...base, ledger, loaders: createInventoryLoaders(ledger) });
}
