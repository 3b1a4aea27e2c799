import { reportStale, type StaleNotice } from '../../lib/graphql/stale-notice.js';

/** Reports one record served stale: a SKU, or a search (`products?afterId=0&first=20`), and how old it was. */
export type ReportStaleProduct = (key: string, ageMs: number) => void;

/**
 * Reports the Magento data one request was served stale on its context
 * (`extensions.stale`): one notice for the request, naming every SKU and
 * search, with the oldest age.
 */
export function productStaleReporter(context: { stale?: StaleNotice[] }): ReportStaleProduct {
  let notice: StaleNotice | undefined;
  return (key, ageMs) => {
    if (!notice) {
      notice = { service: 'product', system: 'magento', keys: [], ageSeconds: 0 };
      reportStale(context, notice);
    }
    // The handler reads the notice once the request has run, so it may still grow until then.
    if (!notice.keys.includes(key)) notice.keys.push(key);
    notice.ageSeconds = Math.max(notice.ageSeconds, Math.floor(ageMs / 1000));
  };
}
