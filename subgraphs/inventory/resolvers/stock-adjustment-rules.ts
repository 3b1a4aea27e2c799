import { badUserInput } from '../../../lib/errors.js';
import type { LedgerChange } from '../ledger/ledger-writer.js';
import { StockChangeReason } from '../types/stock-change-reason.js';
import type { StockAdjustmentInput } from '../types/stock-adjustment-input.js';

/** Largest change one adjustment may make: a typo of a few zeros should not wreck a level (nor overflow it). */
export const MAX_ADJUSTMENT = 1_000_000;
/** Longest note kept with an adjustment. */
export const MAX_NOTE_LENGTH = 1_000;

/** Reasons staff may key in; the others belong to the ERP sync (ERP_SYNC) and the order sagas (RESERVATION, RELEASE). */
const STAFF_REASONS: ReadonlySet<StockChangeReason> = new Set([StockChangeReason.ADJUSTMENT, StockChangeReason.SALE, StockChangeReason.RETURN]);

const refuse = (field: string, message: string) => badUserInput(message, { argumentName: 'input', field });

/** The ledger change an `adjustStock` input asks for; BAD_USER_INPUT naming the field when it makes no sense. */
export function adjustmentChange(input: StockAdjustmentInput, now: Date): LedgerChange {
  const sku = input.sku.trim();
  if (sku === '' || sku.length > 200) throw refuse('sku', 'input.sku must be 1 to 200 characters.');
  if (input.locationId.trim() === '') throw refuse('locationId', 'input.locationId must not be blank.');
  const reason = input.reason ?? StockChangeReason.ADJUSTMENT;
  if (!STAFF_REASONS.has(reason)) throw refuse('reason', `input.reason ${reason} is recorded by the ERP sync and the order sagas, not by adjustStock.`);
  const { delta } = input;
  if (delta === 0) throw refuse('delta', 'input.delta must not be 0.');
  if (Math.abs(delta) > MAX_ADJUSTMENT) throw refuse('delta', `input.delta must be between -${MAX_ADJUSTMENT} and ${MAX_ADJUSTMENT}.`);
  if (reason === StockChangeReason.SALE && delta > 0) throw refuse('delta', 'input.delta of a SALE must be negative.');
  if (reason === StockChangeReason.RETURN && delta < 0) throw refuse('delta', 'input.delta of a RETURN must be positive.');
  const note = input.note?.trim() || undefined;
  if (note && note.length > MAX_NOTE_LENGTH) throw refuse('note', `input.note must be at most ${MAX_NOTE_LENGTH} characters.`);
  return { sku, locationId: input.locationId, delta, reason, occurredAt: now, ...(note ? { note } : {}) };
}
