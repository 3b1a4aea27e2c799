import { Field, ID, Int, ObjectType } from '../../../lib/graphql/type-graphql.js';
import { DateTimeScalar } from '../../../lib/graphql/scalars.js';
import type { StockLevelRow } from '../ledger/ledger-rows.js';

/** `location` and `product` are resolved by stock-level-resolver.ts from `locationId` and `sku`. */
@ObjectType({ description: 'The stock of one product at one location.' })
export class StockLevel {
  @Field(() => ID)
  sku!: string;

  /** Not a field: `location` is resolved from it. */
  locationId!: string;

  @Field(() => Int, {
    description: 'Units physically at the location, as far as the ledger knows. Below 0 after an oversell (a till sold more than the books held): recorded, not hidden, until a count or delivery corrects it.',
  })
  onHand!: number;

  @Field(() => Int, { description: 'Units held for orders not yet fulfilled.' })
  reserved!: number;

  @Field(() => Int, { description: 'onHand - reserved, never below 0.' })
  available!: number;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

export const toStockLevel = (row: StockLevelRow): StockLevel =>
  Object.assign(new StockLevel(), {
    sku: row.sku,
    locationId: row.locationId,
    onHand: row.onHand,
    reserved: row.reserved,
    available: Math.max(0, row.onHand - row.reserved),
    updatedAt: row.updatedAt,
  });
