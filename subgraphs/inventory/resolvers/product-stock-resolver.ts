import { RequiresScopes } from '../../../lib/graphql/access-directives.js';
import { Arg, Ctx, FieldResolver, ID, Resolver, Root } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { Product } from '../types/product.js';
import { StockLevel, toStockLevel } from '../types/stock-level.js';
import { StockSummary, stockSummary } from '../types/stock-summary.js';
import { checkLocationIds } from './stock-query-limits.js';

/** The fields this subgraph contributes to the product subgraph's `Product`, from the ledger only. */
@Resolver(() => Product)
export class ProductStockResolver {
  @FieldResolver(() => StockSummary, { description: 'Availability over every location.' })
  async stock(@Root() product: Product, @Ctx() ctx: InventoryContext): Promise<StockSummary> {
    return stockSummary(await ctx.loaders.availableBySku.load(product.sku));
  }

  @FieldResolver(() => [StockLevel], { description: 'Stock per location, at these locations only when locationIds is given.' })
  @RequiresScopes('inventory:read')
  async stockByLocation(
    @Root() product: Product,
    @Arg('locationIds', () => [ID], { nullable: true }) locationIds: string[] | null | undefined,
    @Ctx() ctx: InventoryContext,
  ): Promise<StockLevel[]> {
    const levels = await ctx.loaders.stockLevels.load({ sku: product.sku, locationIds: checkLocationIds(locationIds) });
    return levels.map(toStockLevel);
  }
}
