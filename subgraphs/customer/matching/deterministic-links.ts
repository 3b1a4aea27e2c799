import type { CustomerRecord } from './customer-record.js';
import { normaliseEmail, normaliseLoyaltyId, normaliseName, normalisePhone, normalisePostcode } from './normalize.js';
import { UnionFind } from './union-find.js';

/**
 * The deterministic first pass of identity resolution: two records are the
 * same person when they share any one of these keys. Each key is strong on its
 * own (an email address reaches one mailbox, a loyalty card is one member's,
 * and a phone number in the same postcode under the same surname is one
 * household member in practice), so a shared key needs no second opinion.
 * Fuzzy matching (nicknames, typos) is a later pass with a review queue.
 */
export function matchKeys(record: CustomerRecord): string[] {
  const keys: string[] = [];
  const email = normaliseEmail(record.email);
  if (email) keys.push(`email:${email}`);
  // CRM's Loyalty_Id__c and the POS loyaltyId name the same card.
  const loyaltyId = normaliseLoyaltyId(record.loyaltyId);
  if (loyaltyId) keys.push(`loyalty:${loyaltyId}`);
  const phone = normalisePhone(record.phone);
  const postcode = normalisePostcode(record.postcode);
  const lastName = normaliseName(record.lastName);
  if (phone && postcode && lastName) keys.push(`phone:${phone}|${postcode}|${lastName}`);
  return keys;
}

/**
 * Groups records that share a key, transitively (union-find): a Magento account
 * linked to a CRM contact by email and to a loyalty member by phone puts all
 * three in one group. Answers groups of indices into `records`, each ascending,
 * ordered by their first member: the same input always gives the same groups.
 */
export function linkRecords(records: readonly CustomerRecord[]): number[][] {
  const sets = new UnionFind(records.length);
  const firstWithKey = new Map<string, number>();
  records.forEach((record, index) => {
    for (const key of matchKeys(record)) {
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, index);
      else sets.union(first, index);
    }
  });
  return sets.groups();
}
