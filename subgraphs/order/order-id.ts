/**
 * Order ids carry the system that holds the order, so a lookup by id goes to
 * exactly one upstream: `mag_<entity_id>` (Magento) or `pos_<orderId>` (POS).
 */
export type OrderKey = { system: 'magento'; entityId: number } | { system: 'pos'; orderId: string };

export const magentoOrderId = (entityId: number): string => `mag_${entityId}`;
export const posOrderId = (orderId: string): string => `pos_${orderId}`;

/** POS order ids look like `S001-000042`; anything else cannot exist and is never sent upstream. */
const POS_ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ENTITY_ID = /^[1-9]\d{0,15}$/;

/** The upstream key behind an order id, or undefined when the id is not one of ours. */
export function parseOrderId(id: string): OrderKey | undefined {
  if (id.startsWith('mag_')) {
    const raw = id.slice(4);
    return ENTITY_ID.test(raw) && Number.isSafeInteger(Number(raw)) ? { system: 'magento', entityId: Number(raw) } : undefined;
  }
  if (id.startsWith('pos_')) {
    const raw = id.slice(4);
    return POS_ORDER_ID.test(raw) ? { system: 'pos', orderId: raw } : undefined;
  }
  return undefined;
}
