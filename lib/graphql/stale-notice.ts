/**
 * Data served from a cache past its freshness, because its system of record
 * failed or while it is read again: answered in the response's
 * `extensions.stale`, so a client can tell "possibly out of date" from
 * "current". The gateway passes its subgraphs' notices on.
 */
export interface StaleNotice {
  /** The subgraph that served it: `product`. */
  service: string;
  /** The system of record it comes from: `magento`. */
  system: string;
  /** Which records: SKUs for products. */
  keys: string[];
  /** How old the oldest of them is, in whole seconds. */
  ageSeconds: number;
  /**
   * Why they were served stale: `refreshing`, past their freshness and being
   * read again from the system as usual (it has not failed); `source-failed`,
   * the system failed to answer for them.
   */
  reason: 'refreshing' | 'source-failed';
}

/** The result with the notices its request's context collected in `extensions.stale`; as it is without any. */
export function withStaleNotices<R extends { extensions?: Record<string, unknown> }>(result: R, context: { stale?: StaleNotice[] }): R {
  return context.stale?.length ? { ...result, extensions: { ...result.extensions, stale: context.stale } } : result;
}

/** Records a notice on the request's context; the GraphQL handler adds them to the response. */
export function reportStale(context: { stale?: StaleNotice[] }, notice: StaleNotice): void {
  (context.stale ??= []).push(notice);
}
