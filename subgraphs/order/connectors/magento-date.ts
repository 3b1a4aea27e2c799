/**
 * Magento writes `2026-10-31 14:05:00` in the store's timezone, which is UTC
 * here (storeConfigs); an ISO-8601 instant is read as it says, and one
 * without a zone as UTC too, never as this process's local time.
 */
const MAGENTO_DATE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;

/** The instant a Magento date names, or undefined when it is not one. */
export function readMagentoDate(value: string): Date | undefined {
  const parts = MAGENTO_DATE.exec(value);
  if (!parts) return undefined;
  const date = new Date(`${parts[1]}T${parts[2]}${parts[3] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** As readMagentoDate, but a RangeError for what is not a Magento date. */
export function parseMagentoDate(value: string): Date {
  const date = readMagentoDate(value);
  if (!date) throw new RangeError(`Not a Magento date: ${value}`);
  return date;
}
