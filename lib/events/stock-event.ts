/** Why a stock level changed: the ledger's `stock_events.reason`, and `StockChangeReason` in the API. */
export const STOCK_CHANGE_REASONS = ['SALE', 'RETURN', 'ADJUSTMENT', 'ERP_SYNC', 'RESERVATION', 'RELEASE'] as const;
export type StockChangeReason = (typeof STOCK_CHANGE_REASONS)[number];

/**
 * One committed change to the stock ledger, as the event bus carries it and
 * `stockChanged` delivers it. Written in the same transaction as the level it
 * changed (the ledger's `stock_events` row is the outbox).
 */
export interface StockEvent {
  /**
   * The ledger's `stock_events.event_id`, in decimal. Strictly increasing in
   * commit order (writers serialise on one lock), so it is the resume cursor;
   * not dense: a rolled-back write leaves a hole.
   */
  eventId: string;
  sku: string;
  locationId: string;
  previousAvailable: number;
  available: number;
  /** The signed change in units on hand. */
  delta: number;
  reason: StockChangeReason;
  /** When it happened at its source (ISO 8601 with zone), not when it was recorded. */
  occurredAt: string;
}

/** Compares two event ids numerically (they are decimal strings of any length). */
export function compareEventIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}
