import type { Dataset, MagentoCustomer, MagentoOrder } from '../data/dataset.js';
import { toMagentoDate } from './magento-date.js';

/** Magento's order state behind each status. */
const STATE_OF: Record<MagentoOrder['status'], string> = { pending: 'new', processing: 'processing', complete: 'complete', canceled: 'canceled' };
const PAYMENT_METHODS = ['checkmo', 'braintree', 'paypal_express'];

interface Billing {
  street: string;
  city: string;
  postcode: string;
  telephone: string;
}

/**
 * Shapes `GET /rest/V1/orders` records. Looks built once: order item ids run
 * on across orders as Magento's do, and a guest's billing address comes from
 * the person behind the order's email.
 */
export class OrderShaper {
  private readonly firstItemId = new Map<number, number>();
  private readonly customers: Map<number, MagentoCustomer>;
  private readonly people: Map<string, Billing>;
  private readonly productIds: Map<string, number>;

  constructor(private readonly dataset: Dataset) {
    let next = 1;
    for (const o of dataset.magentoOrders) {
      this.firstItemId.set(o.entityId, next);
      next += o.lines.length;
    }
    this.customers = new Map(dataset.magentoCustomers.map((c) => [c.id, c]));
    this.people = new Map(dataset.people.map((p) => [p.email, { street: p.street, city: p.city, postcode: p.postcode, telephone: p.phoneDigits }]));
    this.productIds = new Map(dataset.products.map((p) => [p.sku, p.id]));
  }

  shape(o: MagentoOrder) {
    const customer = o.customerId === null ? undefined : this.customers.get(o.customerId);
    const billing: Billing | undefined = customer ?? this.people.get(o.email);
    const firstItemId = this.firstItemId.get(o.entityId) ?? 1;
    const createdAt = toMagentoDate(o.createdAt);
    return {
      entity_id: o.entityId,
      increment_id: o.incrementId,
      // Absent, not null, for a guest: Magento leaves the key out.
      ...(o.customerId === null ? {} : { customer_id: o.customerId }),
      customer_is_guest: o.customerId === null ? 1 : 0,
      customer_email: o.email,
      customer_firstname: o.firstname,
      customer_lastname: o.lastname,
      created_at: createdAt,
      updated_at: createdAt,
      status: o.status,
      state: STATE_OF[o.status],
      order_currency_code: this.dataset.currency,
      base_currency_code: this.dataset.currency,
      subtotal: o.subtotal,
      shipping_amount: o.shipping,
      tax_amount: 0,
      grand_total: o.grandTotal,
      total_qty_ordered: o.lines.reduce((sum, l) => sum + l.quantity, 0),
      items: o.lines.map((l, i) => ({
        item_id: firstItemId + i,
        order_id: o.entityId,
        sku: l.sku,
        name: l.name,
        product_id: this.productIds.get(l.sku),
        qty_ordered: l.quantity,
        price: l.unitPrice,
        row_total: Math.round(l.quantity * l.unitPrice * 100) / 100,
        product_type: 'simple',
      })),
      billing_address: {
        address_type: 'billing',
        firstname: o.firstname,
        lastname: o.lastname,
        street: billing ? [billing.street] : [],
        city: billing?.city ?? '',
        postcode: billing?.postcode ?? '',
        country_id: 'US',
        telephone: billing?.telephone ?? '',
        email: o.email,
      },
      payment: { method: PAYMENT_METHODS[o.entityId % PAYMENT_METHODS.length] },
    };
  }
}
