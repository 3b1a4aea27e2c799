import { z } from 'zod';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { CustomerRecord } from '../matching/customer-record.js';

const PAGE_SIZE = 1_000;

const memberSchema = z
  .object({
    loyaltyId: z.string().min(1),
    firstName: z.string().nullable().optional(),
    lastName: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    postcode: z.string().nullable().optional(),
  })
  .passthrough();
export type LoyaltyCustomerJson = z.infer<typeof memberSchema>;

const pageSchema = z.object({ customers: z.array(memberSchema), nextCursor: z.string().nullable() });

export function loyaltyCustomerRecord(member: LoyaltyCustomerJson): CustomerRecord {
  return {
    system: 'POS',
    externalId: member.loyaltyId,
    firstName: member.firstName ?? null,
    lastName: member.lastName ?? null,
    email: member.email ?? null,
    phone: member.phone ?? null,
    postcode: member.postcode ?? null,
    loyaltyId: member.loyaltyId,
    raw: member,
  };
}

/** Every loyalty member, page by page until `nextCursor` is null. */
export async function fetchLoyaltyCustomers(pos: UpstreamClient): Promise<CustomerRecord[]> {
  const members: LoyaltyCustomerJson[] = [];
  let cursor: string | null = null;
  do {
    const params: Record<string, string | number> = { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
    const page: z.infer<typeof pageSchema> = await pos.get('/api/v1/loyalty/customers', pageSchema, { params });
    members.push(...page.customers);
    cursor = page.nextCursor;
  } while (cursor);
  return members.map(loyaltyCustomerRecord);
}
