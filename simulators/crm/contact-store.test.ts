import { describe, expect, it, vi } from 'vitest';
import type { CrmContact } from '../data/dataset.js';
import { ContactStore } from './contact-store.js';
import { parseSoql } from './soql-parser.js';

const contact = (n: number, patch: Partial<CrmContact> = {}): CrmContact => ({
  Id: `003${String(n).padStart(12, '0')}`,
  FirstName: `First${n}`,
  LastName: ['Smith', 'adams', 'Brown'][n % 3] as string,
  Email: `person${n}@example.org`,
  Phone: null,
  MailingStreet: '1 Oak St',
  MailingCity: 'Denver',
  MailingPostalCode: '80202',
  Loyalty_Id__c: n % 2 ? `L${n}` : null,
  CreatedDate: new Date(Date.UTC(2026, 0, n)).toISOString(),
  LastModifiedDate: new Date(Date.UTC(2026, 1, n)).toISOString(),
  personIndex: n,
  ...patch,
});

const contacts = Array.from({ length: 9 }, (_, i) => contact(i + 1));
const store = new ContactStore(contacts);
const ids = (soql: string) => store.run(parseSoql(soql)).map((c) => c.personIndex);

describe('ContactStore', () => {
  it('compares strings case-insensitively with =, != and IN', () => {
    expect(ids("SELECT Id FROM Contact WHERE Email = 'PERSON3@Example.ORG'")).toEqual([3]);
    expect(ids("SELECT Id FROM Contact WHERE LastName IN ('SMITH', 'Adams') AND Email != 'person1@example.org'")).toEqual([3, 4, 6, 7, 9]);
    expect(ids("SELECT Id FROM Contact WHERE Name = 'first4 SMITH'")).toEqual([]);
    expect(ids("SELECT Id FROM Contact WHERE Name = 'first4 ADAMS'")).toEqual([4]);
  });

  it('tests null and not null', () => {
    expect(ids('SELECT Id FROM Contact WHERE Loyalty_Id__c = null')).toEqual([2, 4, 6, 8]);
    expect(ids('SELECT Id FROM Contact WHERE Loyalty_Id__c != null AND Phone = null')).toEqual([1, 3, 5, 7, 9]);
  });

  it('compares dates as instants', () => {
    expect(ids('SELECT Id FROM Contact WHERE CreatedDate >= 2026-01-03T00:00:00Z AND CreatedDate < 2026-01-05T00:00:00Z')).toEqual([3, 4]);
    expect(ids('SELECT Id FROM Contact WHERE LastModifiedDate = 2026-02-02T01:00:00+01:00')).toEqual([2]);
  });

  it('orders (nulls first ascending, last descending), then applies OFFSET and LIMIT', () => {
    const withNull = new ContactStore([contact(1), contact(2, { Email: null }), contact(3)]);
    const order = (soql: string) => withNull.run(parseSoql(soql)).map((c) => c.personIndex);
    expect(order('SELECT Id FROM Contact ORDER BY Email')).toEqual([2, 1, 3]);
    expect(order('SELECT Id FROM Contact ORDER BY Email DESC')).toEqual([3, 1, 2]);
    expect(ids('SELECT Id FROM Contact ORDER BY CreatedDate DESC LIMIT 3 OFFSET 2')).toEqual([7, 6, 5]);
    expect(ids('SELECT Id FROM Contact OFFSET 7')).toEqual([8, 9]);
  });

  it('looks Ids up in its Map instead of scanning, answering in org order, each once', () => {
    const scan = vi.spyOn(contacts, 'filter');
    const wanted = [contacts[6]!.Id, contacts[1]!.Id.toLowerCase(), contacts[6]!.Id, '003NOPE'];
    expect(ids(`SELECT Id FROM Contact WHERE Id IN (${wanted.map((id) => `'${id}'`).join(', ')}) AND Email != null`)).toEqual([2, 7]);
    expect(ids(`SELECT Id FROM Contact WHERE Id = '${contacts[4]!.Id}'`)).toEqual([5]);
    expect(scan).not.toHaveBeenCalled();
    expect(store.get(contacts[0]!.Id)).toBe(contacts[0]);
    expect(store.get('003nope')).toBeUndefined();
  });
});
