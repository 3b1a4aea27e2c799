import { decimal } from '../../lib/graphql/scalars.js';

/**
 * POS amounts are integer cents; they become "12.34" by integer arithmetic
 * alone, so no float rounding can creep in.
 */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Magento sends amounts as JSON numbers already rounded to the currency's
 * cents (19.99, 5): `decimal()` prints them with exactly two decimals.
 */
export function magentoAmountToDecimal(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`Not an amount: ${amount}`);
  return decimal(amount);
}
