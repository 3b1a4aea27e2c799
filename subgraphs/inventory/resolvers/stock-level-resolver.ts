import { GraphQLError } from 'graphql';
import { RequiresScopes } from '../../../lib/graphql/access-directives.js';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { Location, toLocation } from '../types/location.js';
import { Product, productRef } from '../types/product.js';
import { StockLevel, toStockLevel } from '../types/stock-level.js';
import { StockLevelsArgs } from '../types/stock-levels-args.js';
import { checkLocationIds, checkSkus } from './stock-query-limits.js';

@Resolver(() => StockLevel)
export class StockLevelResolver {
  @Query(() => [StockLevel], {
    description: 'The levels of these SKUs (at most 500), at these locations only when locationIds is given. A SKU the ledger does not know has none.',
  })
  @RequiresScopes('inventory:read')
  async stockLevels(@Args(() => StockLevelsArgs) { skus, locationIds }: StockLevelsArgs, @Ctx() ctx: InventoryContext): Promise<StockLevel[]> {
    const unique = checkSkus(skus);
    const filter = checkLocationIds(locationIds);
    const perSku = await ctx.loaders.stockLevels.loadMany(unique.map((sku) => ({ sku, locationIds: filter })));
    return perSku.flatMap((levels) => {
      if (levels instanceof Error) throw levels;
      return levels.map(toStockLevel);
    });
  }

  @FieldResolver(() => Location)
  async location(@Root() level: StockLevel, @Ctx() ctx: InventoryContext): Promise<Location> {
    const row = await ctx.loaders.locationById.load(level.locationId);
    // The foreign key makes this impossible; say so plainly if it ever happens.
    if (!row) throw new GraphQLError(`Stock level of ${level.sku} names unknown location ${level.locationId}.`);
    return toLocation(row);
  }

  @FieldResolver(() => Product, { description: 'Resolved by the product subgraph through the gateway.' })
  product(@Root() level: StockLevel): Product {
    return productRef(level.sku);
  }
}
