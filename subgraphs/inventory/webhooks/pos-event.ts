import { z } from 'zod';
import type { LedgerChange } from '../ledger/ledger-writer.js';

/** Largest quantity one POS event may carry (as the POS itself allows). */
export const MAX_POS_QUANTITY = 1_000_000;

/**
 * One event as the POS posts it (docs/upstream-apis.md, "Webhooks"). Fields
 * not listed are ignored, so the POS may add some without breaking this.
 */
export const posEventSchema = z
  .object({
    eventId: z.string().min(1).max(200).regex(/\S/, 'must not be blank'),
    type: z.enum(['SALE', 'RETURN', 'ADJUSTMENT']),
    storeId: z.string().min(1).max(200),
    sku: z.string().min(1).max(200),
    quantity: z.number().int().min(-MAX_POS_QUANTITY).max(MAX_POS_QUANTITY),
    // With a zone (Z or an offset): a bare local time would be read in the receiver's zone.
    occurredAt: z
      .string()
      .datetime({ offset: true })
      .refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date'),
  })
  .superRefine((event, ctx) => {
    if (event.type !== 'ADJUSTMENT' && event.quantity <= 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['quantity'], message: `must be at least 1 for a ${event.type} (the count sold or returned)` });
    }
    if (event.type === 'ADJUSTMENT' && event.quantity === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['quantity'], message: 'must not be 0 for an ADJUSTMENT (the signed change)' });
    }
  });

export type PosEvent = z.infer<typeof posEventSchema>;

/**
 * The ledger change a POS event asks for: a SALE of n is -n, a RETURN +n, an
 * ADJUSTMENT its signed quantity. The source is part of the id, so two POS
 * systems may use the same event ids. Only stores take POS events.
 */
export function posLedgerChange(source: string, event: PosEvent): LedgerChange {
  return {
    sku: event.sku,
    locationId: event.storeId,
    delta: event.type === 'SALE' ? -event.quantity : event.quantity,
    reason: event.type,
    occurredAt: new Date(event.occurredAt),
    sourceEventId: `${source}:${event.eventId}`,
    locationType: 'STORE',
  };
}
