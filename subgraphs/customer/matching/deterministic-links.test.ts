import { describe, expect, it } from 'vitest';
import { linkRecords, matchKeys } from './deterministic-links.js';
import { record } from '../../../test/support/customer-records.js';

describe('matchKeys', () => {
  it('derives an email, a loyalty and a phone-postcode-surname key', () => {
    expect(
      matchKeys(record({ system: 'POS', externalId: 'L1', email: 'Ann.Lee+store@Gmail.com', loyaltyId: 'L1', phone: '(503) 555-0199', postcode: '97201', lastName: 'LEE' })),
    ).toEqual(['email:annlee@gmail.com', 'loyalty:L1', 'phone:5035550199|97201|lee']);
  });

  it('makes no phone key without all three parts', () => {
    expect(matchKeys(record({ system: 'MAGENTO', externalId: '1', phone: '5035550199', lastName: 'Lee' }))).toEqual([]);
  });
});

describe('linkRecords', () => {
  it('links one person across systems despite case, Gmail dots, +tags, phone formats and nicknames', () => {
    const records = [
      record({ system: 'CRM', externalId: '003A', firstName: 'Robert', lastName: 'Smith', email: 'robert.smith7@gmail.com', phone: '+1 415-555-0100', postcode: '97201' }),
      record({ system: 'MAGENTO', externalId: '12', firstName: 'Bob', lastName: 'Smith', email: 'Robertsmith7+shop@Gmail.com', phone: '(415) 555-0100', postcode: '97201' }),
      // No email at the till: the phone, postcode and surname (upper case at the till) link it.
      record({ system: 'POS', externalId: 'L9', firstName: 'Rob', lastName: 'SMITH', phone: '415.555.0100', postcode: '97201', loyaltyId: 'L9' }),
      record({ system: 'CRM', externalId: '003B', firstName: 'Robert', lastName: 'Smith', email: 'robert.smith8@gmail.com', phone: '4155550111', postcode: '97201' }),
    ];
    expect(linkRecords(records)).toEqual([[0, 1, 2], [3]]);
  });

  it('links a CRM contact to a loyalty member through Loyalty_Id__c alone', () => {
    const records = [
      record({ system: 'POS', externalId: 'L01000007', firstName: 'Liz', lastName: 'Jones', loyaltyId: 'L01000007', phone: '2065550123', postcode: '98101' }),
      record({ system: 'CRM', externalId: '003C', firstName: 'Elizabeth', lastName: 'Jones-Park', loyaltyId: 'l01000007' }),
    ];
    expect(linkRecords(records)).toEqual([[0, 1]]);
  });

  it('links transitively: email to one record, phone to another', () => {
    const records = [
      record({ system: 'POS', externalId: 'L2', lastName: 'Kim', phone: '3125550100', postcode: '60601', loyaltyId: 'L2' }),
      record({ system: 'CRM', externalId: '003D', lastName: 'Kim', email: 'mei.kim@proton.me' }),
      record({ system: 'MAGENTO', externalId: '4', lastName: 'kim', email: 'Mei.Kim@proton.me', phone: '+13125550100', postcode: '60601' }),
    ];
    expect(linkRecords(records)).toEqual([[0, 1, 2]]);
  });

  it('does not link on a shared phone alone: another postcode or surname is another person', () => {
    const records = [
      record({ system: 'CRM', externalId: '003E', lastName: 'Garcia', phone: '3035550100', postcode: '80202' }),
      record({ system: 'POS', externalId: 'L3', lastName: 'Garcia', phone: '3035550100', postcode: '73301' }),
      record({ system: 'MAGENTO', externalId: '5', lastName: 'Lopez', phone: '3035550100', postcode: '80202' }),
      // Dots matter outside Gmail.
      record({ system: 'MAGENTO', externalId: '6', email: 'a.garcia@outlook.com' }),
      record({ system: 'MAGENTO', externalId: '7', email: 'agarcia@outlook.com' }),
    ];
    expect(linkRecords(records)).toEqual([[0], [1], [2], [3], [4]]);
  });
});
