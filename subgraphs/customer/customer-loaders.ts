import DataLoader from 'dataloader';
import type { SourceRecord } from '../../lib/graphql/shared-types.js';
import type { Customer } from './customer.js';
import { sourceKey, type CustomerRepository } from './customer-repository.js';

/** Per-request batching: every customer a request touches, by id or by source record, in one query each. */
export interface CustomerLoaders {
  byId: DataLoader<string, Customer | null>;
  /** Keyed by `system:externalId`: the golden record that owns a CRM, POS or Magento record. */
  bySourceRecord: DataLoader<SourceRecord, Customer | null, string>;
}

export function createCustomerLoaders(repository: CustomerRepository): CustomerLoaders {
  return {
    byId: new DataLoader(async (ids) => {
      const found = await repository.findByIds(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
    bySourceRecord: new DataLoader(
      async (sources) => {
        const found = await repository.findBySourceRecords(sources);
        return sources.map((s) => found.get(sourceKey(s)) ?? null);
      },
      { cacheKeyFn: sourceKey },
    ),
  };
}
