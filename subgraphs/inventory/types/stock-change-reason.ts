import type { StockEvent } from '../../../lib/events/stock-event.js';
import { registerEnumType } from '../../../lib/graphql/type-graphql.js';

/** The ledger's `stock_events.reason` (lib/events/stock-event.ts), as the API names it. */
export enum StockChangeReason {
  SALE = 'SALE',
  RETURN = 'RETURN',
  ADJUSTMENT = 'ADJUSTMENT',
  ERP_SYNC = 'ERP_SYNC',
  RESERVATION = 'RESERVATION',
  RELEASE = 'RELEASE',
}

registerEnumType(StockChangeReason, {
  name: 'StockChangeReason',
  description: 'Why a stock level changed.',
  valuesConfig: {
    SALE: { description: 'Sold at a till (POS).' },
    RETURN: { description: 'Returned at a till (POS).' },
    ADJUSTMENT: { description: 'Counted, received, damaged or lost: a correction by the POS or by operations staff.' },
    ERP_SYNC: { description: "Set by the ERP's nightly sync." },
    RESERVATION: { description: 'Held for an order being placed.' },
    RELEASE: { description: 'A hold released: the order was cancelled or failed.' },
  },
});

/** Typed both ways: every reason the ledger can hold is a value of the enum. */
export const toStockChangeReason = (reason: StockEvent['reason']): StockChangeReason => StockChangeReason[reason];
