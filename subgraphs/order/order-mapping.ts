import { money, SourceRecord } from '../../lib/graphql/shared-types.js';
import type { SourceSystem } from '../../lib/graphql/source-system.js';
import { centsToDecimal, magentoAmountToDecimal } from './amounts.js';
import { parseMagentoDate } from './connectors/magento-date.js';
import type { MagentoOrderRecord } from './connectors/magento-order-schema.js';
import type { PosOrderRecord } from './connectors/pos-order-schema.js';
import { magentoOrderId, posOrderId } from './order-id.js';
import { magentoStatus, posStatus } from './order-status.js';
import { Order, OrderChannel, OrderLine } from './order.js';
import { productReference } from './product.js';

const sourceRecord = (system: SourceSystem, externalId: string): SourceRecord => Object.assign(new SourceRecord(), { system, externalId });

const line = (sku: string, quantity: number, unitPrice: string, currency: string): OrderLine =>
  Object.assign(new OrderLine(), { sku, product: productReference(sku), quantity, unitPrice: money(unitPrice, currency) });

export function fromMagentoOrder(record: MagentoOrderRecord): Order {
  const currency = record.order_currency_code;
  return Object.assign(new Order(), {
    id: magentoOrderId(record.entity_id),
    number: record.increment_id,
    channel: OrderChannel.ONLINE,
    status: magentoStatus(record.status),
    placedAt: parseMagentoDate(record.created_at),
    lines: record.items
      // Child rows of configurable/bundle parents repeat the parent's line.
      .filter((item) => item.parent_item_id == null)
      // Magento keeps quantities as decimals (2.0000); every sellable unit here is whole.
      .map((item) => line(item.sku, Math.round(item.qty_ordered), magentoAmountToDecimal(item.price), currency)),
    total: money(magentoAmountToDecimal(record.grand_total), currency),
    customerSource: record.customer_id == null ? null : sourceRecord('MAGENTO', String(record.customer_id)),
  });
}

export function fromPosOrder(record: PosOrderRecord): Order {
  const placedAt = new Date(record.placedAt);
  if (Number.isNaN(placedAt.getTime())) throw new RangeError(`Not a POS date: ${record.placedAt}`);
  return Object.assign(new Order(), {
    id: posOrderId(record.orderId),
    number: record.orderId,
    channel: OrderChannel.STORE,
    status: posStatus(record.status),
    placedAt,
    lines: record.lines.map((l) => line(l.sku, l.quantity, centsToDecimal(l.unitPriceCents), record.currency)),
    total: money(centsToDecimal(record.totalCents), record.currency),
    customerSource: record.loyaltyId ? sourceRecord('POS', record.loyaltyId) : null,
  });
}
