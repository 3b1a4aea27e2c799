import { Arg, Ctx, ID, Query, Resolver } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { Location, toLocation } from '../types/location.js';

@Resolver(() => Location)
export class LocationResolver {
  @Query(() => [Location], { description: 'Every warehouse and store, warehouses first.' })
  async locations(@Ctx() ctx: InventoryContext): Promise<Location[]> {
    const rows = await ctx.ledger.listLocations();
    for (const row of rows) ctx.loaders.locationById.prime(row.id, row);
    return rows.map(toLocation);
  }

  @Query(() => Location, { nullable: true, description: 'One warehouse or store by id; null when there is none.' })
  async location(@Arg('id', () => ID) id: string, @Ctx() ctx: InventoryContext): Promise<Location | null> {
    const row = await ctx.loaders.locationById.load(id);
    return row ? toLocation(row) : null;
  }
}
