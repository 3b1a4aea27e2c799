import type { StockEvent } from '../../../lib/events/stock-event.js';
import { RequiresScopes } from '../../../lib/graphql/access-directives.js';
import { DateTimeScalar } from '../../../lib/graphql/scalars.js';
import { Field, ID, Int, ObjectType } from '../../../lib/graphql/type-graphql.js';
import { StockChangeReason, toStockChangeReason } from './stock-change-reason.js';

/**
 * `location` and `product` are resolved by stock-change-resolver.ts from `locationId` and `sku`.
 * Needs inventory:read wherever it is reached: `stockChange(eventId)` and `stockChanged`.
 */
@ObjectType({ description: 'One recorded change to a stock level at one location: what `stockChanged` delivers.' })
@RequiresScopes('inventory:read')
export class StockChange {
  @Field(() => ID, { description: 'Unique, and increasing in the order changes were recorded: `stockChanged(after:)` resumes after it.' })
  eventId!: string;

  @Field(() => ID)
  sku!: string;

  /** Not a field: `location` is resolved from it. */
  locationId!: string;

  @Field(() => Int, { description: 'Units available at the location before the change (never below 0).' })
  previousAvailable!: number;

  @Field(() => Int, { description: 'Units available after it (onHand - reserved, never below 0).' })
  available!: number;

  @Field(() => Int, {
    description: 'The signed change in units on hand (a sale of 2 is -2). Available may drop by less: a sale beyond what was available is recorded as an oversell (onHand goes below 0, available stays at 0).',
  })
  delta!: number;

  @Field(() => StockChangeReason)
  reason!: StockChangeReason;

  @Field(() => DateTimeScalar, { description: 'When it happened at its source (the till, for a POS event), not when it was recorded.' })
  occurredAt!: Date;
}

export const toStockChange = (event: StockEvent): StockChange =>
  Object.assign(new StockChange(), {
    eventId: event.eventId,
    sku: event.sku,
    locationId: event.locationId,
    previousAvailable: event.previousAvailable,
    available: event.available,
    delta: event.delta,
    reason: toStockChangeReason(event.reason),
    occurredAt: new Date(event.occurredAt),
  });
