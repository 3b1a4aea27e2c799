import type { OrderContext } from './order-context.js';
import type { Order } from './order.js';

/** `_entities` for `Order`: batched with every other order reference of the request. */
export function resolveOrderReference(reference: { id: string }, context: OrderContext): Promise<Order | null> {
  return context.loaders.orderById.load(reference.id);
}
