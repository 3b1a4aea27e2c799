/** Magento's `YYYY-MM-DD HH:MM:SS` (UTC here) from an ISO-8601 instant. */
export const toMagentoDate = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date a client filters by, in Magento's format so it compares as text with
 * stored dates; undefined when it is not a date. Accepts `2026-10-31`,
 * `2026-10-31 14:05:00` and ISO-8601 instants (a missing zone is UTC).
 */
export function parseMagentoDate(value: string): string | undefined {
  const text = value.trim();
  if (DATE_ONLY.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : `${text} 00:00:00`;
  if (!DATE_TIME.test(text)) return undefined;
  const iso = text.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? undefined : toMagentoDate(new Date(ms).toISOString());
}
