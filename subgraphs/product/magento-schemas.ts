import { z } from 'zod';

/**
 * The parts of Magento's answers this subgraph reads (docs/upstream-apis.md).
 * Unread fields are ignored, so Magento adding fields never breaks us; a
 * missing or mistyped field we need is UPSTREAM_BAD_RESPONSE.
 */

/**
 * Magento sends ids as numbers in some places and strings in others. Not
 * transformed here: the upstream client's `ZodType<T>` wants a schema whose
 * input and output agree, so mapping turns them into text.
 */
const id = z.union([z.string(), z.number()]);

export const MagentoMediaEntrySchema = z.object({
  media_type: z.string(),
  label: z.string().nullish(),
  position: z.number().nullish(),
  disabled: z.boolean().nullish(),
  file: z.string(),
});

export const MagentoProductSchema = z.object({
  id: z.number().int(),
  sku: z.string(),
  name: z.string(),
  price: z.number(),
  extension_attributes: z
    .object({ category_links: z.array(z.object({ category_id: id })).nullish() })
    .nullish(),
  media_gallery_entries: z.array(MagentoMediaEntrySchema).nullish(),
  custom_attributes: z.array(z.object({ attribute_code: z.string(), value: z.unknown() })).nullish(),
});

export const MagentoProductSearchSchema = z.object({
  items: z.array(MagentoProductSchema),
  total_count: z.number().int().nonnegative(),
});

export const MagentoStoreConfigsSchema = z
  .array(z.object({ code: z.string(), base_currency_code: z.string().min(3), base_media_url: z.string().url() }))
  .min(1);

export const MagentoCategorySchema = z.object({ id: z.number().int(), name: z.string() });

export const MagentoCategoryListSchema = z.object({
  items: z.array(MagentoCategorySchema),
  total_count: z.number().int().nonnegative(),
});

export type MagentoProduct = z.infer<typeof MagentoProductSchema>;
export type MagentoProductSearch = z.infer<typeof MagentoProductSearchSchema>;
