import { z } from 'zod';
import { money } from '../../lib/graphql/shared-types.js';
import { image } from './image.js';
import type { ProductPage } from './magento-connector.js';
import { Product } from './product.js';

/** A product as the cache keeps it in Redis: product.ts's fields, as JSON. */
const ProductJsonSchema = z.object({
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  price: z.object({ amount: z.string(), currencyCode: z.string() }),
  images: z.array(z.object({ url: z.string(), alt: z.string().nullable() })),
  entityId: z.number().int(),
  categoryIds: z.array(z.string()),
});
type ProductJson = z.infer<typeof ProductJsonSchema>;

const toProduct = (json: ProductJson): Product =>
  Object.assign(new Product(), {
    ...json,
    price: money(json.price.amount, json.price.currencyCode),
    images: json.images.map((i) => image(i.url, i.alt)),
  });

const ProductEntrySchema = ProductJsonSchema.nullable();
const ProductPageSchema = z.object({ products: z.array(ProductJsonSchema), remaining: z.number().int().min(0) });

/**
 * A cached product entry read back from Redis, as the classes Magento's
 * answers are mapped to (so a cached product is served exactly as a fresh
 * one); null: Magento has no product under that SKU. Undefined when it is
 * not that shape (written by another version of the service): not served.
 */
export function reviveProductEntry(json: unknown): Product | null | undefined {
  const parsed = ProductEntrySchema.safeParse(json);
  if (!parsed.success) return undefined;
  return parsed.data && toProduct(parsed.data);
}

/** A cached search page read back from Redis, as `reviveProductEntry` does its products. */
export function reviveProductPage(json: unknown): ProductPage | undefined {
  const parsed = ProductPageSchema.safeParse(json);
  return parsed.success ? { products: parsed.data.products.map(toProduct), remaining: parsed.data.remaining } : undefined;
}
