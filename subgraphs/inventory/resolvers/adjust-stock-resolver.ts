import { notFound } from '../../../lib/errors.js';
import { RequiresScopes } from '../../../lib/graphql/access-directives.js';
import { Arg, Ctx, Mutation, Resolver } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { StockAdjustmentInput } from '../types/stock-adjustment-input.js';
import { StockLevel, toStockLevel } from '../types/stock-level.js';
import { adjustmentChange } from './stock-adjustment-rules.js';

@Resolver()
export class AdjustStockResolver {
  @Mutation(() => StockLevel, {
    description: 'Corrects one stock level (a count, a delivery, damage), recorded in the ledger as a stock change like any other. Answers the level after it.',
  })
  @RequiresScopes('inventory:write')
  async adjustStock(@Arg('input', () => StockAdjustmentInput) input: StockAdjustmentInput, @Ctx() ctx: InventoryContext): Promise<StockLevel> {
    const change = adjustmentChange(input, new Date());
    const { outcomes } = await ctx.writer.apply([change]);
    if (outcomes[0]?.status === 'rejected') throw notFound(`Location ${input.locationId} does not exist.`, { argumentName: 'input', field: 'locationId' });
    const [level] = await ctx.ledger.stockLevels([change.sku], [change.locationId]);
    // Just written, and levels are never deleted.
    if (!level) throw new Error(`Stock level of ${change.sku} at ${change.locationId} is missing after an adjustment.`);
    ctx.loaders.locationById.prime(level.location.id, level.location);
    return toStockLevel(level);
  }
}
