import { Directive, Field, ObjectType } from './type-graphql.js';
import { DecimalScalar } from './scalars.js';

/** Value types more than one subgraph returns; `@shareable` lets them agree on one definition. */

@ObjectType({ description: 'An amount in a currency.' })
@Directive('@shareable')
export class Money {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, { description: 'ISO 4217 code, e.g. "USD".' })
  currencyCode!: string;
}

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

@ObjectType({ description: 'A record in a system of record that was merged into a golden customer.' })
@Directive('@shareable')
export class SourceRecord {
  @Field(() => String, { description: '`CRM`, `POS` or `MAGENTO`.' })
  system!: string;

  @Field(() => String)
  externalId!: string;
}

export const money = (amount: string, currencyCode: string): Money => Object.assign(new Money(), { amount, currencyCode });
