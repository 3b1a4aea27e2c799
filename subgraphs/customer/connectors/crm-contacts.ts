import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode } from '../../../lib/errors.js';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { CustomerRecord } from '../matching/customer-record.js';

const QUERY_PATH = '/services/data/v59.0/query';
/** Where every next batch must be: a path of the org's own REST API, never another host that would get the token. */
const API_PREFIX = '/services/data/';

/** Every Contact field the org has except the derived `Name`; the whole record is kept as the raw source. */
const SOQL =
  'SELECT Id, FirstName, LastName, Email, Phone, MailingStreet, MailingCity, MailingPostalCode, MailingCountry, Loyalty_Id__c, CreatedDate, LastModifiedDate FROM Contact ORDER BY Id';

const nullableString = z.string().nullable().optional();
const contactSchema = z
  .object({
    Id: z.string().min(1),
    FirstName: nullableString,
    LastName: nullableString,
    Email: nullableString,
    Phone: nullableString,
    MailingPostalCode: nullableString,
    Loyalty_Id__c: nullableString,
  })
  .passthrough();
export type CrmContactJson = z.infer<typeof contactSchema>;

const batchSchema = z.object({
  totalSize: z.number().int().nonnegative(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(contactSchema),
});

export function crmContactRecord(contact: CrmContactJson): CustomerRecord {
  return {
    system: 'CRM',
    externalId: contact.Id,
    firstName: contact.FirstName ?? null,
    lastName: contact.LastName ?? null,
    email: contact.Email ?? null,
    phone: contact.Phone ?? null,
    postcode: contact.MailingPostalCode ?? null,
    loyaltyId: contact.Loyalty_Id__c ?? null,
    raw: contact,
  };
}

/** Every CRM contact: one SOQL query, then its batches of 2,000 through `nextRecordsUrl`. */
export async function fetchCrmContacts(crm: UpstreamClient): Promise<CustomerRecord[]> {
  const contacts: CrmContactJson[] = [];
  let batch = await crm.get(QUERY_PATH, batchSchema, { params: { q: SOQL } });
  contacts.push(...batch.records);
  while (!batch.done) {
    if (!batch.nextRecordsUrl || contacts.length >= batch.totalSize) throw new Error('crm: a query batch is not done but names no next batch');
    if (!batch.nextRecordsUrl.startsWith(API_PREFIX)) {
      throw new GraphQLError(`${crm.system} named a next batch outside its REST API.`, { extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, service: crm.system } });
    }
    batch = await crm.get(batch.nextRecordsUrl, batchSchema);
    contacts.push(...batch.records);
  }
  return contacts.map(crmContactRecord);
}
