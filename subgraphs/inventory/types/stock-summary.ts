import { Field, Int, ObjectType } from '../../../lib/graphql/type-graphql.js';

@ObjectType({ description: 'A product\'s availability over every location: public, unlike the per-location levels.' })
export class StockSummary {
  @Field(() => Int, { description: 'Units available over every location (each location\'s onHand - reserved, never below 0).' })
  available!: number;

  @Field(() => Boolean)
  inStock!: boolean;
}

export const stockSummary = (available: number): StockSummary => Object.assign(new StockSummary(), { available, inStock: available > 0 });
