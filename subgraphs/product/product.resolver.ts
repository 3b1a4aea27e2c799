import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from '../../lib/graphql/type-graphql.js';
import { Category } from './category.js';
import type { ProductContext } from './product-context.js';
import { ProductConnection } from './product-connection.js';
import { parsePageArgs, toConnection } from './product-pagination.js';
import { Product } from './product.js';
import { ProductsArgs } from './products-args.js';

/** Magento category ids are whole numbers; any other id names no category. */
const CATEGORY_ID = /^\d+$/;

@Resolver(() => Product)
export class ProductResolver {
  /** Unknown SKUs answer null, not an error: asking whether a product exists is normal. */
  @Query(() => Product, { nullable: true, description: 'One product by SKU; null when the catalog has none.' })
  product(@Arg('sku', () => ID) sku: string, @Ctx() context: ProductContext): Promise<Product | null> {
    return context.loaders.productBySku.load(sku);
  }

  @Query(() => ProductConnection, { description: 'The catalog, filtered, in pages.' })
  async products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() context: ProductContext): Promise<ProductConnection> {
    const { first, after } = parsePageArgs(args.first, args.after);
    const categoryId = args.categoryId ?? undefined;
    // No such category can exist: answer the empty page without asking Magento.
    if (categoryId !== undefined && !CATEGORY_ID.test(categoryId)) return toConnection([], after, 0);
    const { products, remaining } = await context.catalog.searchProducts({
      afterId: after.id,
      first,
      // Blank text filters nothing; surrounding spaces are not part of what was meant.
      search: args.search?.trim() || undefined,
      categoryId,
      inStockOnly: args.inStockOnly ?? false,
    });
    // Other fields of these products (e.g. from the gateway's entity fetches) then cost no second call.
    for (const p of products) context.loaders.productBySku.prime(p.sku, p);
    return toConnection(products, after, remaining);
  }

  @FieldResolver(() => [Category])
  async categories(@Root() product: Product, @Ctx() context: ProductContext): Promise<Category[]> {
    const byId = await context.catalog.categories();
    return product.categoryIds.flatMap((id) => byId.get(id) ?? []);
  }
}
