import { SourceRecord } from '../../lib/graphql/shared-types.js';
import { Customer } from './customer.js';

export interface CustomerRepresentation {
  id: string;
  /** Present when the gateway fetched it for `orders` (`@requires`). */
  sourceRecords?: Array<{ system: string; externalId: string }> | null;
}

/**
 * `_entities` for `Customer`: nothing to look up, the representation already
 * holds what `orders` needs. Synchronous on purpose, so every customer's
 * `orders` starts in the same tick and the loaders batch them into one call.
 */
export function resolveCustomerReference(reference: CustomerRepresentation): Customer {
  // Representations are JSON from the wire (`_Any`): keep only well-formed records.
  const sourceRecords = (Array.isArray(reference.sourceRecords) ? reference.sourceRecords : [])
    .filter((r) => typeof r?.system === 'string' && typeof r.externalId === 'string')
    .map((r) => Object.assign(new SourceRecord(), { system: r.system, externalId: r.externalId }));
  return Object.assign(new Customer(), { id: reference.id, sourceRecords });
}
