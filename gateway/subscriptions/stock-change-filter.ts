import type { StockEvent } from '../../lib/events/stock-event.js';

/** `stockChanged(skus, locationIds)`: each list narrows when given; both apply together. */
export interface StockChangeFilter {
  skus?: ReadonlySet<string>;
  locationIds?: ReadonlySet<string>;
}

export function matchesFilter(filter: StockChangeFilter, event: StockEvent): boolean {
  return (!filter.skus || filter.skus.has(event.sku)) && (!filter.locationIds || filter.locationIds.has(event.locationId));
}

/** The filter from the field's coerced arguments; a null list means "any". */
export function filterFrom(args: { skus?: readonly string[] | null; locationIds?: readonly string[] | null }): StockChangeFilter {
  return {
    ...(args.skus ? { skus: new Set(args.skus) } : {}),
    ...(args.locationIds ? { locationIds: new Set(args.locationIds) } : {}),
  };
}
