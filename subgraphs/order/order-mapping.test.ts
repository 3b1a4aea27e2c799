import { describe, expect, it } from 'vitest';
import { parseMagentoDate } from './connectors/magento-date.js';
import { MagentoOrderSchema } from './connectors/magento-order-schema.js';
import { PosOrderSchema } from './connectors/pos-order-schema.js';
import { fromMagentoOrder, fromPosOrder } from './order-mapping.js';
import { OrderChannel } from './order.js';

const magentoOrder = {
  entity_id: 7,
  increment_id: '100000007',
  customer_id: 12,
  customer_is_guest: 0,
  created_at: '2026-10-31 14:05:09',
  status: 'complete',
  order_currency_code: 'USD',
  grand_total: 65.97,
  items: [
    { item_id: 1, sku: 'CG-000001', qty_ordered: 2, price: 19.99 },
    { item_id: 2, sku: 'CG-000002', qty_ordered: 1, price: 20 },
    { item_id: 3, sku: 'CG-000002-RED', qty_ordered: 1, price: 0, parent_item_id: 2 },
  ],
};

const posOrder = {
  orderId: 'S001-000042',
  storeId: 'S001',
  loyaltyId: 'L01000000',
  placedAt: '2026-09-01T10:00:00.000Z',
  status: 'COMPLETED',
  currency: 'USD',
  totalCents: 4297,
  lines: [{ sku: 'CG-000003', description: 'Mug', quantity: 3, unitPriceCents: 1299 }, { sku: 'CG-000004', description: 'Cup', quantity: 1, unitPriceCents: 400 }],
};

describe('Magento order to Order', () => {
  it('maps id, number, status, date, lines and total', () => {
    const order = fromMagentoOrder(MagentoOrderSchema.parse(magentoOrder));
    expect(order).toMatchObject({
      id: 'mag_7',
      number: '100000007',
      channel: OrderChannel.ONLINE,
      status: 'COMPLETE',
      placedAt: new Date('2026-10-31T14:05:09Z'),
      total: { amount: '65.97', currencyCode: 'USD' },
      customerSource: { system: 'MAGENTO', externalId: '12' },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: 'CG-000001', product: { sku: 'CG-000001' }, quantity: 2, unitPrice: { amount: '19.99', currencyCode: 'USD' } }),
      // The configurable's child row is not a second line.
      expect.objectContaining({ sku: 'CG-000002', quantity: 1, unitPrice: { amount: '20.00', currencyCode: 'USD' } }),
    ]);
  });

  it('has no customer source for a guest', () => {
    const { customer_id: _, ...guest } = magentoOrder;
    expect(fromMagentoOrder(MagentoOrderSchema.parse({ ...guest, customer_is_guest: 1 })).customerSource).toBeNull();
  });

  it('reads Magento dates as UTC and refuses what is not a date', () => {
    expect(parseMagentoDate('2026-01-02 03:04:05').toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(parseMagentoDate('2026-01-02T03:04:05.000Z').toISOString()).toBe('2026-01-02T03:04:05.000Z');
    // Without a zone too, whatever this process's own timezone.
    expect(parseMagentoDate('2026-01-02T03:04:05').toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(parseMagentoDate('2026-01-02T05:04:05+02:00').toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(MagentoOrderSchema.safeParse({ ...magentoOrder, created_at: 'yesterday' }).success).toBe(false);
  });
});

describe('POS order to Order', () => {
  it('maps cents exactly and COMPLETED to COMPLETE', () => {
    const order = fromPosOrder(PosOrderSchema.parse(posOrder));
    expect(order).toMatchObject({
      id: 'pos_S001-000042',
      number: 'S001-000042',
      channel: OrderChannel.STORE,
      status: 'COMPLETE',
      placedAt: new Date('2026-09-01T10:00:00.000Z'),
      total: { amount: '42.97', currencyCode: 'USD' },
      customerSource: { system: 'POS', externalId: 'L01000000' },
    });
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount])).toEqual([
      ['CG-000003', 3, '12.99'],
      ['CG-000004', 1, '4.00'],
    ]);
  });

  it('has no customer source for an anonymous sale', () => {
    expect(fromPosOrder(PosOrderSchema.parse({ ...posOrder, loyaltyId: null })).customerSource).toBeNull();
  });
});
