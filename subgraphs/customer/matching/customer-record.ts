import type { SourceSystem } from '../../../lib/graphql/source-system.js';

/** Which system's values a golden record prefers, best first: the CRM is the system of record for people. */
export const SYSTEM_PRIORITY: readonly SourceSystem[] = ['CRM', 'MAGENTO', 'POS'];

/** One customer as one system holds it, in the few fields matching looks at, with the record as received. */
export interface CustomerRecord {
  system: SourceSystem;
  /** The Salesforce Id, the Magento customer id as a string, or the POS loyalty id. */
  externalId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  postcode: string | null;
  /** The POS loyalty id, or the one a CRM contact was linked to by hand (`Loyalty_Id__c`). */
  loyaltyId: string | null;
  /** The upstream record as received, kept for audit and for later (fuzzy) matching. */
  raw: unknown;
}
