import { createHash } from 'node:crypto';
import type { SourceSystem } from '../../../lib/graphql/source-system.js';
import { SYSTEM_PRIORITY, type CustomerRecord } from './customer-record.js';

/** One person as the business sees them, built from the records that were linked. */
export interface GoldenRecord {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  loyaltyId: string | null;
  /** The linked records, anchor first. */
  records: CustomerRecord[];
}

/**
 * `cus_` and 16 hex digits of SHA-256 over `SYSTEM:externalId` of the anchor
 * record: the same person gets the same id on every ingestion and in every
 * process, and anyone holding the CRM Id can compute it.
 */
export function goldenId(system: SourceSystem, externalId: string): string {
  return `cus_${createHash('sha256').update(`${system}:${externalId}`).digest('hex').slice(0, 16)}`;
}

const rank = (system: SourceSystem) => SYSTEM_PRIORITY.indexOf(system);

/** Shorter ids first, so Magento's numeric ids sort as numbers; otherwise plain code-unit order. */
const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Best source first: CRM, then Magento, then POS; within a system, the oldest (smallest) id. */
export function byPreference(a: CustomerRecord, b: CustomerRecord): number {
  return rank(a.system) - rank(b.system) || compareIds(a.externalId, b.externalId);
}

const present = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * The golden record of one group of linked records. The anchor (the CRM
 * record if any, else the Magento one, else the POS one) names it; name, email
 * and phone come from the most preferred record that has them, so a CRM
 * contact without an email still gets the address the shop knows.
 */
export function buildGoldenRecord(group: readonly CustomerRecord[]): GoldenRecord {
  if (group.length === 0) throw new Error('a golden record needs at least one source record');
  const records = [...group].sort(byPreference);
  const anchor = records[0] as CustomerRecord;
  const first = <T>(pick: (r: CustomerRecord) => T | null | undefined): T | null => {
    for (const record of records) {
      const value = pick(record);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  };
  const name = first((r) => {
    const parts = [r.firstName, r.lastName].filter(present).map((p) => p.trim());
    return parts.length ? parts.join(' ') : null;
  });
  // The card itself (the POS member) is the authority on a loyalty id; the CRM's copy was typed in by hand.
  const loyaltyId = records.find((r) => r.system === 'POS' && present(r.loyaltyId))?.loyaltyId ?? first((r) => (present(r.loyaltyId) ? r.loyaltyId : null));
  return {
    id: goldenId(anchor.system, anchor.externalId),
    name: name ?? first((r) => (present(r.email) ? r.email.trim() : null)) ?? 'Unknown customer',
    email: first((r) => (present(r.email) ? r.email.trim() : null)),
    phone: first((r) => (present(r.phone) ? r.phone.trim() : null)),
    loyaltyId,
    records,
  };
}
