import { describe, expect, it } from 'vitest';
import { normaliseEmail, normaliseLoyaltyId, normaliseName, normalisePhone, normalisePostcode } from './normalize.js';

describe('normaliseEmail', () => {
  it.each([
    ['jane.doe42@gmail.com', 'janedoe42@gmail.com'],
    ['Jane.Doe42@Gmail.com', 'janedoe42@gmail.com'],
    ['janedoe42+shop@gmail.com', 'janedoe42@gmail.com'],
    ['J.a.n.e.doe42+promo@GoogleMail.com', 'janedoe42@gmail.com'],
    ['  Jane.Doe42+web@Yahoo.com ', 'jane.doe42@yahoo.com'],
    ['jane.doe42@yahoo.com', 'jane.doe42@yahoo.com'],
  ])('%s → %s', (email, expected) => {
    expect(normaliseEmail(email)).toBe(expected);
  });

  it('keeps dots outside Gmail, where they are part of the address', () => {
    expect(normaliseEmail('jane.doe@outlook.com')).not.toBe(normaliseEmail('janedoe@outlook.com'));
  });

  it.each([null, undefined, '', 'no-at-sign', '@example.org', 'someone@', '+tag@example.org'])('cannot use %j', (email) => {
    expect(normaliseEmail(email)).toBeNull();
  });
});

describe('normalisePhone', () => {
  // Every format the data generator writes a number in.
  it.each(['+1 415-555-0100', '(415) 555-0100', '415.555.0100', '4155550100', '+14155550100', '1-415-555-0100'])('%s → 10 digits', (phone) => {
    expect(normalisePhone(phone)).toBe('4155550100');
  });

  it.each([null, '', '555-0100', '+44 20 7946 0958', '24155550100'])('cannot use %j', (phone) => {
    expect(normalisePhone(phone)).toBeNull();
  });
});

describe('postcodes, names and loyalty ids', () => {
  it('compares them in a canonical form', () => {
    expect(normalisePostcode(' 97201-1234')).toBe('97201');
    expect(normalisePostcode('02108')).toBe('02108');
    expect(normalisePostcode('sw1a 1aa')).toBe('SW1A1AA');
    expect(normalisePostcode('  ')).toBeNull();
    expect(normaliseName(' SMITH ')).toBe('smith');
    expect(normaliseName('Van  der Berg')).toBe('van der berg');
    expect(normaliseLoyaltyId(' l01000007 ')).toBe('L01000007');
    expect(normaliseLoyaltyId(null)).toBeNull();
  });
});
