import { z } from 'zod';
import { readMagentoDate } from './magento-date.js';

/**
 * The parts of a Magento `/rest/V1/orders` answer this subgraph reads
 * (docs/upstream-apis.md). Unread fields are ignored, so Magento adding
 * fields never breaks us; a missing or mistyped field we need is
 * UPSTREAM_BAD_RESPONSE.
 */
export const MagentoOrderItemSchema = z.object({
  sku: z.string(),
  qty_ordered: z.number(),
  price: z.number(),
  /** Set on the child rows Magento adds under configurable/bundle parents. */
  parent_item_id: z.number().nullish(),
});

export const MagentoOrderSchema = z.object({
  entity_id: z.number().int(),
  increment_id: z.string(),
  /** Absent (or null) for guest checkouts. */
  customer_id: z.number().int().nullish(),
  // Checked here so a bad date is the upstream's fault (UPSTREAM_BAD_RESPONSE), not ours.
  created_at: z.string().refine((v) => readMagentoDate(v) !== undefined, 'not a Magento date'),
  status: z.string(),
  order_currency_code: z.string(),
  grand_total: z.number(),
  items: z.array(MagentoOrderItemSchema),
});

export const MagentoOrderSearchSchema = z.object({
  items: z.array(MagentoOrderSchema),
  total_count: z.number().int(),
});

export type MagentoOrderRecord = z.infer<typeof MagentoOrderSchema>;
