import { RequiresScopes } from '../../lib/graphql/access-directives.js';
import { Directive, Field, ID, ObjectType } from '../../lib/graphql/type-graphql.js';
import { SourceRecord } from '../../lib/graphql/shared-types.js';

/**
 * A golden record: one person, merged from their CRM contact, loyalty membership and Magento account.
 * Needs customers:read; the contact details (PII) customers:pii besides.
 */
@ObjectType({ description: 'One person, merged from their CRM contact, POS loyalty membership and Magento account.' })
@Directive('@key(fields: "id")')
@RequiresScopes('customers:read')
export class Customer {
  @Field(() => ID, { description: 'The golden record id, `cus_…`, derived from its anchor source record: the same records give the same id.' })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  @RequiresScopes('customers:pii')
  email!: string | null;

  @Field(() => String, { nullable: true })
  @RequiresScopes('customers:pii')
  phone!: string | null;

  @Field(() => String, { nullable: true })
  loyaltyId!: string | null;

  @Field(() => [SourceRecord], { description: 'The CRM, POS and Magento records merged into this customer.' })
  sourceRecords!: SourceRecord[];
}
