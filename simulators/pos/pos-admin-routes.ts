import { z } from 'zod';
import type { SimResponse, SimRoute } from '../common/simulator-server.js';
import type { Dataset } from '../data/dataset.js';
import { posError } from './pos-errors.js';
import { type PosEventType, type PosTill, findStoreAndProduct } from './pos-till.js';
import type { RandomEventSource } from './random-event-source.js';
import type { WebhookSender } from './webhook-sender.js';

const positive = z.number().int().min(1).max(1_000_000);
const saleOrReturn = z.object({ storeId: z.string().min(1), sku: z.string().min(1), quantity: positive.default(1) });
const adjustment = z.object({
  storeId: z.string().min(1),
  sku: z.string().min(1),
  delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'delta must not be 0'),
});
const webhook = z.object({
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'url must be http(s)').nullable(),
  secret: z.string().min(16).optional(),
});
const eventRate = z.object({ perSecond: z.number().min(0).max(10_000) });

const invalid = (error: z.ZodError): SimResponse => {
  const issue = error.issues[0];
  return posError('bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message}`);
};

export interface PosAdminDeps {
  dataset: Dataset;
  till: PosTill;
  sender: WebhookSender;
  events: RandomEventSource;
  /** The secret in use; PUT /admin/webhook may replace it. */
  secret: { value: string };
}

/**
 * The POS simulator's admin calls: each sale, return or adjustment changes the
 * POS's stock, records the event, delivers it and answers how the delivery
 * went; the webhook target and the random event rate can be changed live.
 */
export function posAdminRoutes(deps: PosAdminDeps): SimRoute[] {
  const { dataset, till, sender, events } = deps;

  const change = async (type: PosEventType, storeId: string, sku: string, quantity: number): Promise<SimResponse> => {
    const found = findStoreAndProduct(dataset, storeId, sku);
    if (typeof found === 'string') return posError('not_found', found);
    const event = till.record({ type, ...found, quantity });
    const delivery = await sender.deliver([event]);
    return { status: 200, body: { event, delivery: { status: delivery.status, attempts: delivery.attempts } } };
  };

  const saleOrReturnRoute = (pattern: string, type: PosEventType): SimRoute => ({
    method: 'POST',
    pattern,
    admin: true,
    handler: (req) => {
      const parsed = saleOrReturn.safeParse(req.body ?? {});
      return parsed.success ? change(type, parsed.data.storeId, parsed.data.sku, parsed.data.quantity) : invalid(parsed.error);
    },
  });

  return [
    saleOrReturnRoute('/admin/sell', 'SALE'),
    saleOrReturnRoute('/admin/return', 'RETURN'),
    {
      method: 'POST',
      pattern: '/admin/adjust',
      admin: true,
      handler: (req) => {
        const parsed = adjustment.safeParse(req.body ?? {});
        return parsed.success ? change('ADJUSTMENT', parsed.data.storeId, parsed.data.sku, parsed.data.delta) : invalid(parsed.error);
      },
    },
    {
      method: 'PUT',
      pattern: '/admin/webhook',
      admin: true,
      handler: (req) => {
        const parsed = webhook.safeParse(req.body ?? {});
        if (!parsed.success) return invalid(parsed.error);
        if (parsed.data.secret) deps.secret.value = parsed.data.secret;
        sender.setTarget({ url: parsed.data.url ?? undefined, secret: deps.secret.value });
        // The secret is never echoed.
        return { status: 200, body: { url: parsed.data.url, source: till.source } };
      },
    },
    {
      method: 'PUT',
      pattern: '/admin/event-rate',
      admin: true,
      handler: (req) => {
        const parsed = eventRate.safeParse(req.body ?? {});
        if (!parsed.success) return invalid(parsed.error);
        events.setRate(parsed.data.perSecond);
        return { status: 200, body: { perSecond: events.rate } };
      },
    },
  ];
}
