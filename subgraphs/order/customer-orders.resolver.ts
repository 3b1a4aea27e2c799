import { RequiresScopes } from '../../lib/graphql/access-directives.js';
import { MAX_PAGE_SIZE } from '../../lib/graphql/paging.js';
import type { SourceSystem } from '../../lib/graphql/source-system.js';
import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from '../../lib/graphql/type-graphql.js';
import { Customer } from './customer.js';
import { OrderConnection } from './order-connection.js';
import type { OrderContext } from './order-context.js';
import { mergeNewestFirst, paginateOrders, parsePageArgs } from './order-pagination.js';
import type { Order } from './order.js';
import { OrdersArgs } from './orders-args.js';

const isSystem = (system: string, wanted: SourceSystem) => system.toUpperCase() === wanted;

@Resolver(() => Customer)
export class CustomerOrdersResolver {
  /**
   * The customer's online and in-store orders, newest first. A golden customer
   * may hold several Magento accounts and loyalty cards: all of them count.
   *
   * Both systems are needed for a correct merged page, so if either fails the
   * field fails with that system's error (e.g. UPSTREAM_UNAVAILABLE, service
   * `pos`) rather than answering a page that silently lacks one channel and
   * whose cursors would skip orders once the system is back.
   */
  @FieldResolver(() => OrderConnection, { description: `The customer's online and in-store orders, newest first; \`first\` is 1..${MAX_PAGE_SIZE}.` })
  @Directive('@requires(fields: "sourceRecords { system externalId }")')
  @RequiresScopes('orders:read')
  async orders(
    @Root() customer: Customer,
    @Args(() => OrdersArgs) { first, after }: OrdersArgs,
    @Ctx() { loaders }: OrderContext,
  ): Promise<OrderConnection> {
    const page = parsePageArgs(first, after);
    const records = customer.sourceRecords ?? [];
    const customerIds = records
      .filter((r) => isSystem(r.system, 'MAGENTO') && /^\d{1,15}$/.test(r.externalId))
      .map((r) => Number(r.externalId));
    const loyaltyIds = records.filter((r) => isSystem(r.system, 'POS') && r.externalId !== '').map((r) => r.externalId);
    const [online, inStore] = await Promise.all([loadAll(loaders.ordersByMagentoCustomerId, customerIds), loadAll(loaders.ordersByLoyaltyId, loyaltyIds)]);
    return paginateOrders(mergeNewestFirst(online, inStore), page);
  }
}

/** Every key's orders, or the first error: a partial history is not passed off as the whole one. */
async function loadAll<K>(loader: { loadMany(keys: readonly K[]): Promise<Array<Order[] | Error>> }, keys: K[]): Promise<Order[]> {
  const results = await loader.loadMany(keys);
  const failed = results.find((r): r is Error => r instanceof Error);
  if (failed) throw failed;
  return (results as Order[][]).flat();
}
