import type { ZodType, ZodTypeDef } from 'zod';
import type { Logger } from '../../../lib/logger.js';

/**
 * Keeps the records that match `schema` and counts the rest: one bad record in
 * a 100,000-SKU payload must not stop a load (spec 002: "log invalid records
 * but continue processing valid ones"). A few samples are logged, not all.
 */
export function validItems<T>(records: readonly unknown[], schema: ZodType<T, ZodTypeDef, unknown>, logger: Logger, what: string): { items: T[]; invalid: number } {
  const items: T[] = [];
  let invalid = 0;
  for (const record of records) {
    const parsed = schema.safeParse(record);
    if (parsed.success) {
      items.push(parsed.data);
      continue;
    }
    invalid += 1;
    if (invalid <= 5) logger.warn({ record, issue: parsed.error.issues[0]?.message }, `invalid ${what} skipped`);
  }
  if (invalid > 5) logger.warn({ invalid }, `invalid ${what} skipped in total`);
  return { items, invalid };
}
