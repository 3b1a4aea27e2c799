import type { CrmContact } from '../data/dataset.js';

/** The Contact fields the simulated org exposes, as Salesforce spells them. */
const CONTACT_FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'Name',
  'Email',
  'Phone',
  'MailingStreet',
  'MailingCity',
  'MailingPostalCode',
  'MailingCountry',
  'Loyalty_Id__c',
  'CreatedDate',
  'LastModifiedDate',
] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Filterable as dateTime (`> 2026-01-01T00:00:00Z`); every other field is a string. */
export const DATE_FIELDS: ReadonlySet<ContactField> = new Set<ContactField>(['CreatedDate', 'LastModifiedDate']);

/** Field names are case-insensitive in SOQL; answers use the canonical spelling. */
const BY_LOWER_NAME = new Map<string, ContactField>(CONTACT_FIELDS.map((f) => [f.toLowerCase(), f]));

export function resolveContactField(name: string): ContactField | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

export const API_PATH = '/services/data/v59.0';

const contactUrl = (id: string) => `${API_PATH}/sobjects/Contact/${id}`;

/** Salesforce's dateTime format: `2026-06-08T00:00:00.000+0000`. */
function salesforceDate(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}

/** A field's raw value: strings as stored, dates as epoch milliseconds (for comparing and sorting). */
export function fieldValue(contact: CrmContact, field: ContactField): string | number | null {
  switch (field) {
    case 'Name':
      return `${contact.FirstName} ${contact.LastName}`;
    // The generator's people all live in the US; the CRM spells the country out.
    case 'MailingCountry':
      return 'United States';
    case 'CreatedDate':
    case 'LastModifiedDate':
      return Date.parse(contact[field]);
    default:
      return contact[field];
  }
}

/** A field as the REST API writes it. */
function answerValue(contact: CrmContact, field: ContactField): string | null {
  if (DATE_FIELDS.has(field)) return salesforceDate(contact[field as 'CreatedDate' | 'LastModifiedDate']);
  return fieldValue(contact, field) as string | null;
}

/** One record of a query answer or an sObject GET: `attributes` first, then the fields in the order asked. */
export function contactRecord(contact: CrmContact, fields: readonly ContactField[] = CONTACT_FIELDS): Record<string, unknown> {
  const record: Record<string, unknown> = { attributes: { type: 'Contact', url: contactUrl(contact.Id) } };
  for (const field of fields) record[field] = answerValue(contact, field);
  return record;
}
