import { describe, expect, it } from 'vitest';
import { magentoOrderId, parseOrderId, posOrderId } from './order-id.js';

describe('order ids', () => {
  it('round-trip both channels', () => {
    expect(parseOrderId(magentoOrderId(42))).toEqual({ system: 'magento', entityId: 42 });
    expect(parseOrderId(posOrderId('S001-000042'))).toEqual({ system: 'pos', orderId: 'S001-000042' });
  });

  it('refuse what cannot be an order, so it is never sent upstream', () => {
    for (const id of ['', '42', 'mag_', 'mag_abc', 'mag_-1', 'mag_01', 'mag_1.5', 'mag_99999999999999999', 'pos_', 'pos_../x', 'pos_a/b', 'pos_a b', 'ord_1']) {
      expect(parseOrderId(id), id).toBeUndefined();
    }
  });
});
