import { describe, expect, it } from 'vitest';
import { magentoStatus, posStatus } from './order-status.js';

describe('order status', () => {
  it('upper-cases Magento statuses', () => {
    expect(['complete', 'processing', 'pending', 'canceled'].map(magentoStatus)).toEqual(['COMPLETE', 'PROCESSING', 'PENDING', 'CANCELED']);
    expect(magentoStatus('holded')).toBe('HOLDED');
  });

  it('speaks the same vocabulary for the POS', () => {
    expect(posStatus('COMPLETED')).toBe('COMPLETE');
    expect(posStatus('REFUNDED')).toBe('REFUNDED');
    expect(posStatus('voided')).toBe('VOIDED');
  });
});
