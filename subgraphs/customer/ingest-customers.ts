import type { UpstreamClient } from '../../lib/http/upstream-client.js';
import type { Logger } from '../../lib/logger.js';
import { fetchCrmContacts } from './connectors/crm-contacts.js';
import { fetchMagentoCustomers } from './connectors/magento-customers.js';
import { fetchLoyaltyCustomers } from './connectors/pos-loyalty-customers.js';
import type { CustomerRepository } from './customer-repository.js';
import { matchCustomers } from './matching/match-customers.js';

export interface CustomerSources {
  crm: UpstreamClient;
  magento: UpstreamClient;
  pos: UpstreamClient;
}

export interface IngestionResult {
  /** False when golden records were already there (an earlier start, or another replica). */
  stored: boolean;
  sourceRecords: number;
  customers: number;
}

/**
 * The first load: every CRM contact, Magento customer and loyalty member,
 * linked into golden records and stored in one transaction. Skipped when the
 * golden records exist already; keeping them current is a later sync's job.
 */
export async function ingestOnFirstStart(repository: CustomerRepository, sources: CustomerSources, logger: Logger): Promise<IngestionResult> {
  if (!(await repository.isEmpty())) return { stored: false, sourceRecords: 0, customers: 0 };
  const started = performance.now();
  const [crm, magento, pos] = await Promise.all([fetchCrmContacts(sources.crm), fetchMagentoCustomers(sources.magento), fetchLoyaltyCustomers(sources.pos)]);
  // CRM first, then Magento, then POS: the order the records come in never changes which groups form.
  const records = [...crm, ...magento, ...pos];
  const golden = matchCustomers(records);
  const stored = await repository.storeInitial(golden);
  const result = { stored, sourceRecords: records.length, customers: golden.length };
  logger.info(
    { ...result, crm: crm.length, magento: magento.length, pos: pos.length, ms: Math.round(performance.now() - started) },
    stored ? 'golden customers ingested' : 'golden customers were ingested by another process',
  );
  return result;
}
