import { reportStale, type StaleNotice } from '../../lib/graphql/stale-notice.js';

/** Reports one record served stale: a SKU, a search (`products?afterId=0&first=20`) or `categories`, how old it was, and why. */
export type ReportStaleProduct = (key: string, ageMs: number, reason: StaleNotice['reason']) => void;

/**
 * Reports the Magento data one request was served stale on its context
 * (`extensions.stale`): one notice per reason (`refreshing`: past its TTL
 * while Magento is asked again as usual; `source-failed`: Magento failed),
 * naming every SKU and search, with the oldest age.
 */
export function productStaleReporter(context: { stale?: StaleNotice[] }): ReportStaleProduct {
  const notices = new Map<StaleNotice['reason'], StaleNotice>();
  return (key, ageMs, reason) => {
    let notice = notices.get(reason);
    if (!notice) {
      notice = { service: 'product', system: 'magento', reason, keys: [], ageSeconds: 0 };
      notices.set(reason, notice);
      reportStale(context, notice);
    }
    // The handler reads the notice once the request has run, so it may still grow until then.
    if (!notice.keys.includes(key)) notice.keys.push(key);
    notice.ageSeconds = Math.max(notice.ageSeconds, Math.floor(ageMs / 1000));
  };
}
