import type { ProductRecord } from '../data/dataset.js';
import type { CatalogStock } from './catalog-stock.js';
import { toMagentoDate } from './magento-date.js';
import { urlKey } from './url-key.js';

/** Magento's "Default" attribute set and "Catalog, Search" visibility. */
const ATTRIBUTE_SET_DEFAULT = 4;
const VISIBILITY_BOTH = 4;
const STATUS_ENABLED = 1;
/** Generated products have at most this many images: media ids stay unique. */
const MAX_IMAGES = 10;

/** `CG-000001`, image 2 → `/c/g/cg-000001-2.jpg`: Magento disperses files by their first two letters. */
export function imageFile(sku: string, n: number): string {
  const name = `${sku.toLowerCase()}-${n}.jpg`;
  return `/${name[0]}/${name[1]}/${name}`;
}

/** A product as `GET /rest/V1/products` answers it (docs/upstream-apis.md). */
export function toMagentoProduct(p: ProductRecord, stock: CatalogStock) {
  const qty = stock.quantity(p);
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    attribute_set_id: ATTRIBUTE_SET_DEFAULT,
    price: p.price,
    status: STATUS_ENABLED,
    visibility: VISIBILITY_BOTH,
    type_id: 'simple',
    created_at: toMagentoDate(p.createdAt),
    updated_at: toMagentoDate(p.updatedAt),
    weight: p.weight,
    extension_attributes: {
      website_ids: [1],
      category_links: p.categoryIds.map((id, position) => ({ position, category_id: String(id) })),
      stock_item: { item_id: p.id, product_id: p.id, stock_id: 1, qty, is_in_stock: qty > 0 },
    },
    product_links: [],
    options: [],
    media_gallery_entries: Array.from({ length: p.imageCount }, (_, i) => ({
      id: (p.id - 1) * MAX_IMAGES + i + 1,
      media_type: 'image',
      label: i === 0 ? p.name : `${p.name} (view ${i + 1})`,
      position: i + 1,
      disabled: false,
      // Each role belongs to one image only: the first is the main one.
      types: i === 0 ? ['image', 'small_image', 'thumbnail'] : [],
      file: imageFile(p.sku, i + 1),
    })),
    tier_prices: [],
    custom_attributes: [
      { attribute_code: 'description', value: p.description },
      { attribute_code: 'url_key', value: `${urlKey(p.name)}-${p.sku.toLowerCase()}` },
      { attribute_code: 'category_ids', value: p.categoryIds.map(String) },
    ],
  };
}
