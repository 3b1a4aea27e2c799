import { ArgsType, Field, ID } from '../../../lib/graphql/type-graphql.js';

/** `stockChanged(skus, locationIds, after)`, in the contract's order (a class keeps field order; parameter decorators run backwards). */
@ArgsType()
export class StockChangedArgs {
  @Field(() => [ID], { nullable: true, description: 'Only changes to these SKUs; absent: any.' })
  skus?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only changes at these locations; absent: any. Both filters apply.' })
  locationIds?: string[] | null;

  @Field(() => ID, { nullable: true, description: 'Resume after this eventId, with nothing lost; absent: from now on.' })
  after?: string | null;
}
