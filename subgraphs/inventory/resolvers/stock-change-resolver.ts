import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../lib/errors.js';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { Location, toLocation } from '../types/location.js';
import { Product, productRef } from '../types/product.js';
import { StockChange, toStockChange } from '../types/stock-change.js';
import { StockChangedArgs } from '../types/stock-changed-args.js';

/**
 * This subgraph serves HTTP only: the gateway runs `stockChanged` itself, from
 * the event bus, over graphql-ws. The field is here so that it composes into
 * the supergraph; its events are resolved through `stockChange`.
 */
const servedByTheGateway = (): never => {
  throw new GraphQLError('stockChanged is served by the gateway over graphql-ws.', { extensions: { code: ErrorCode.BAD_REQUEST } });
};

@Resolver(() => StockChange)
export class StockChangeResolver {
  @Query(() => StockChange, {
    nullable: true,
    description: 'One recorded stock change by its event id; null when there is none. The gateway resolves every stockChanged event through it, so fields from other subgraphs (product name, price) come through the query plan.',
  })
  async stockChange(@Arg('eventId', () => ID) eventId: string, @Ctx() ctx: InventoryContext): Promise<StockChange | null> {
    const event = await ctx.loaders.stockChangeById.load(eventId);
    return event ? toStockChange(event) : null;
  }

  @Subscription(() => StockChange, {
    description:
      'POS terminals: every change to the named SKUs and/or locations (both optional, both filters apply). `after` resumes from an eventId with nothing lost. Served by the gateway over graphql-ws.',
    subscribe: servedByTheGateway,
  })
  stockChanged(@Root() change: StockChange, @Args(() => StockChangedArgs) _args: StockChangedArgs): StockChange {
    return change;
  }

  @FieldResolver(() => Location)
  async location(@Root() change: StockChange, @Ctx() ctx: InventoryContext): Promise<Location> {
    const row = await ctx.loaders.locationById.load(change.locationId);
    // The foreign key makes this impossible; say so plainly if it ever happens.
    if (!row) throw new GraphQLError(`Stock change ${change.eventId} names unknown location ${change.locationId}.`);
    return toLocation(row);
  }

  @FieldResolver(() => Product, { description: 'Resolved by the product subgraph through the gateway.' })
  product(@Root() change: StockChange): Product {
    return productRef(change.sku);
  }
}
