import { Field, ID, InputType, Int } from '../../../lib/graphql/type-graphql.js';
import { StockChangeReason } from './stock-change-reason.js';

/** `adjustStock(input)`, fields in the contract's order. */
@InputType({ description: 'A correction of one stock level by operations staff.' })
export class StockAdjustmentInput {
  @Field(() => ID)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int, { description: 'Units on hand to add (received) or, negative, to remove (shrinkage, damage); not 0.' })
  delta!: number;

  @Field(() => StockChangeReason, {
    nullable: true,
    defaultValue: StockChangeReason.ADJUSTMENT,
    description: 'ADJUSTMENT, or SALE (delta < 0) / RETURN (delta > 0) keyed in by hand. ERP_SYNC, RESERVATION and RELEASE are the ERP sync\'s and the order sagas\' own.',
  })
  reason?: StockChangeReason | null;

  @Field(() => String, { nullable: true, description: 'Why, in words; kept with the change (at most 1,000 characters).' })
  note?: string | null;
}
