import type { ReferenceResolvers } from '../../../lib/graphql/build-subgraph-schema.js';
import type { InventoryContext } from '../inventory-context.js';
import { toLocation, type Location } from '../types/location.js';
import { productRef, type Product } from '../types/product.js';

/** How the gateway's `_entities` representations become objects here. */
export const inventoryReferenceResolvers = {
  // Any SKU is a product here: one the ledger does not know has no stock.
  Product: { __resolveReference: (ref: { sku: string }): Product => productRef(ref.sku) },
  Location: {
    __resolveReference: async (ref: { id: string }, ctx: InventoryContext): Promise<Location | null> => {
      const row = await ctx.loaders.locationById.load(ref.id);
      return row ? toLocation(row) : null;
    },
  },
} satisfies ReferenceResolvers;
