import { ArgsType, Field, ID } from '../../../lib/graphql/type-graphql.js';

/** `stockLevels(skus, locationIds)`, in the contract's order (a class keeps field order; parameter decorators run backwards). */
@ArgsType()
export class StockLevelsArgs {
  @Field(() => [ID], { description: 'At most 500.' })
  skus!: string[];

  @Field(() => [ID], { nullable: true, description: 'Only these locations; absent or null: every location.' })
  locationIds?: string[] | null;
}
