import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SOURCE_SYSTEMS } from '../../../lib/graphql/source-system.js';
import { record } from '../../../test/support/customer-records.js';
import { SYSTEM_PRIORITY } from './customer-record.js';
import { buildGoldenRecord, goldenId } from './golden-record.js';

const crm = record({ system: 'CRM', externalId: '003A', firstName: 'Katherine', lastName: 'Olsen', email: null, phone: '(720) 555-0101', loyaltyId: 'L5' });
const magento = record({ system: 'MAGENTO', externalId: '31', firstName: 'Kate', lastName: 'Olsen', email: 'Kate.Olsen+web@icloud.com', phone: '7205550101' });
const pos = record({ system: 'POS', externalId: 'L5', firstName: 'Katie', lastName: 'OLSEN', email: 'k.olsen@icloud.com', phone: '720.555.0101', loyaltyId: 'L5' });

describe('goldenId', () => {
  it('is cus_ and the first 16 hex digits of SHA-256 over SYSTEM:externalId', () => {
    expect(goldenId('CRM', '003A')).toBe(`cus_${createHash('sha256').update('CRM:003A').digest('hex').slice(0, 16)}`);
    expect(goldenId('CRM', '003A')).toMatch(/^cus_[0-9a-f]{16}$/);
  });
});

describe('buildGoldenRecord', () => {
  it('ranks every source system, so none can outrank the CRM by being left out', () => {
    expect([...SYSTEM_PRIORITY].sort()).toEqual([...SOURCE_SYSTEMS].sort());
  });

  it('is anchored on the CRM record and takes its values first, whatever the input order', () => {
    const golden = buildGoldenRecord([pos, magento, crm]);
    expect(golden).toMatchObject({ id: goldenId('CRM', '003A'), name: 'Katherine Olsen', phone: '(720) 555-0101', loyaltyId: 'L5' });
    expect(golden.records.map((r) => r.system)).toEqual(['CRM', 'MAGENTO', 'POS']);
    expect(buildGoldenRecord([crm, pos, magento]).id).toBe(golden.id);
  });

  it('fills a value the CRM lacks from Magento, then from the POS', () => {
    expect(buildGoldenRecord([crm, magento, pos]).email).toBe('Kate.Olsen+web@icloud.com');
    expect(buildGoldenRecord([crm, pos]).email).toBe('k.olsen@icloud.com');
  });

  it('is anchored on Magento without a CRM record, and on the POS without either', () => {
    expect(buildGoldenRecord([pos, magento])).toMatchObject({ id: goldenId('MAGENTO', '31'), name: 'Kate Olsen', loyaltyId: 'L5' });
    expect(buildGoldenRecord([pos])).toMatchObject({ id: goldenId('POS', 'L5'), name: 'Katie OLSEN', email: 'k.olsen@icloud.com' });
  });

  it('prefers the smallest id when one system has several records, numerically for Magento', () => {
    const other = record({ system: 'MAGENTO', externalId: '4', firstName: 'K', lastName: 'Olsen' });
    expect(buildGoldenRecord([magento, other]).id).toBe(goldenId('MAGENTO', '4'));
  });

  it('takes the loyalty id from the card holder (POS) over the CRM copy', () => {
    const typedByHand = { ...crm, loyaltyId: 'L05' };
    expect(buildGoldenRecord([typedByHand, pos]).loyaltyId).toBe('L5');
    expect(buildGoldenRecord([typedByHand]).loyaltyId).toBe('L05');
  });
});
