/**
 * One status vocabulary for both channels, upper case: Magento's lower-case
 * statuses as they are (complete → COMPLETE, canceled → CANCELED, …), the POS's
 * COMPLETED as COMPLETE so "done" reads the same online and in store.
 * Statuses we do not know yet pass through upper-cased rather than failing.
 */
export function magentoStatus(status: string): string {
  return status.trim().toUpperCase();
}

const POS_STATUSES: Record<string, string> = { COMPLETED: 'COMPLETE', REFUNDED: 'REFUNDED' };

export function posStatus(status: string): string {
  const upper = status.trim().toUpperCase();
  return POS_STATUSES[upper] ?? upper;
}
