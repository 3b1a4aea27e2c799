import type { Dataset } from '../../simulators/data/dataset.js';
import type { CustomerRecord } from '../../subgraphs/customer/matching/customer-record.js';

/** A customer record with only the fields a test cares about. */
export function record(patch: Partial<CustomerRecord> & Pick<CustomerRecord, 'system' | 'externalId'>): CustomerRecord {
  return { firstName: null, lastName: null, email: null, phone: null, postcode: null, loyaltyId: null, raw: {}, ...patch };
}

/**
 * The dataset's CRM contacts, loyalty members and Magento
 * customers as customer records, each with the person really behind it.
 */
export function datasetRecords(dataset: Dataset): Array<{ record: CustomerRecord; personIndex: number }> {
  return [
    ...dataset.crmContacts.map((c) => ({
      personIndex: c.personIndex,
      record: record({ system: 'CRM', externalId: c.Id, firstName: c.FirstName, lastName: c.LastName, email: c.Email, phone: c.Phone, postcode: c.MailingPostalCode, loyaltyId: c.Loyalty_Id__c }),
    })),
    ...dataset.magentoCustomers.map((m) => ({
      personIndex: m.personIndex,
      record: record({ system: 'MAGENTO', externalId: String(m.id), firstName: m.firstname, lastName: m.lastname, email: m.email, phone: m.telephone, postcode: m.postcode }),
    })),
    ...dataset.loyaltyCustomers.map((l) => ({
      personIndex: l.personIndex,
      record: record({ system: 'POS', externalId: l.loyaltyId, firstName: l.firstName, lastName: l.lastName, email: l.email, phone: l.phone, postcode: l.postcode, loyaltyId: l.loyaltyId }),
    })),
  ];
}
