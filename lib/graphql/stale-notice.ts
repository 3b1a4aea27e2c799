/**
 * Data served from a cache past its freshness because the system of record
 * could not be asked: answered in the response's `extensions.stale`, so a
 * client can tell "possibly out of date" from "current". The gateway passes
 * its subgraphs' notices on.
 */
export interface StaleNotice {
  /** The subgraph that served it: `product`. */
  service: string;
  /** The system of record that failed: `magento`. */
  system: string;
  /** Which records: SKUs for products. */
  keys: string[];
  /** How old the oldest of them is, in whole seconds. */
  ageSeconds: number;
}

/** Records a notice on the request's context; the GraphQL handler adds them to the response. */
export function reportStale(context: { stale?: StaleNotice[] }, notice: StaleNotice): void {
  (context.stale ??= []).push(notice);
}
