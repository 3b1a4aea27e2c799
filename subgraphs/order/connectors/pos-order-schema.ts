import { z } from 'zod';

/** A POS order as `/api/v1/orders` sends it (docs/upstream-apis.md); amounts are integer cents. */
export const PosOrderSchema = z.object({
  orderId: z.string(),
  storeId: z.string(),
  loyaltyId: z.string().nullish(),
  placedAt: z.string().datetime({ offset: true }),
  // Free text, not an enum: a new till status must not fail every order query.
  status: z.string(),
  currency: z.string(),
  totalCents: z.number().int(),
  lines: z.array(
    z.object({
      sku: z.string(),
      quantity: z.number().int(),
      unitPriceCents: z.number().int(),
    }),
  ),
});

export const PosOrderPageSchema = z.object({
  orders: z.array(PosOrderSchema),
  nextCursor: z.string().nullish(),
});

export type PosOrderRecord = z.infer<typeof PosOrderSchema>;
