import { decimal } from '../../lib/graphql/scalars.js';
import { money } from '../../lib/graphql/shared-types.js';
import { image } from './image.js';
import type { MagentoProduct } from './magento-schemas.js';
import { Product } from './product.js';

/** What every product needs from the store config. */
export interface StoreSettings {
  currencyCode: string;
  /** Ends in `/`. */
  mediaUrl: string;
}

const customAttribute = (record: MagentoProduct, code: string): unknown =>
  record.custom_attributes?.find((a) => a.attribute_code === code)?.value;

/** Category ids from the category links, or from the `category_ids` attribute when Magento sends no links. */
function categoryIdsOf(record: MagentoProduct): string[] {
  const links = record.extension_attributes?.category_links;
  if (links) return links.map((l) => String(l.category_id));
  const ids = customAttribute(record, 'category_ids');
  return Array.isArray(ids) ? ids.map(String) : [];
}

/** A Magento product as the graph shows it: money as Decimal, image files as absolute URLs. */
export function toProduct(record: MagentoProduct, store: StoreSettings): Product {
  const description = customAttribute(record, 'description');
  const images = (record.media_gallery_entries ?? [])
    .filter((e) => e.media_type === 'image' && !e.disabled)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((e) => image(`${store.mediaUrl}catalog/product${e.file.startsWith('/') ? '' : '/'}${e.file}`, e.label || null));
  return Object.assign(new Product(), {
    sku: record.sku,
    name: record.name,
    description: typeof description === 'string' ? description : null,
    price: money(decimal(record.price), store.currencyCode),
    images,
    entityId: record.id,
    categoryIds: categoryIdsOf(record),
  });
}
