import { describe, expect, it } from 'vitest';
import { centsToDecimal, magentoAmountToDecimal } from './amounts.js';

describe('POS cents to Decimal', () => {
  it('is exact integer arithmetic', () => {
    expect(centsToDecimal(1234)).toBe('12.34');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(100)).toBe('1.00');
    expect(centsToDecimal(-250)).toBe('-2.50');
    // 0.1 + 0.2 style sums never appear: 30 cents is "0.30", not "0.30000000000000004".
    expect(centsToDecimal(10 + 20)).toBe('0.30');
    expect(centsToDecimal(900_719_925_474_099)).toBe('9007199254740.99');
  });

  it('refuses fractions of a cent', () => {
    expect(() => centsToDecimal(12.5)).toThrow(RangeError);
  });
});

describe('Magento amounts to Decimal', () => {
  it('prints two decimals', () => {
    expect(magentoAmountToDecimal(19.99)).toBe('19.99');
    expect(magentoAmountToDecimal(5)).toBe('5.00');
    expect(magentoAmountToDecimal(0.1 + 0.2)).toBe('0.30');
    expect(magentoAmountToDecimal(1234.5)).toBe('1234.50');
  });
});
