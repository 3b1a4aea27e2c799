import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client), served on `/metrics` by the
 * gateway and every subgraph. One registry per process: each service runs in
 * its own process in production; the one-process stack (`npm start`, tests)
 * serves them all from each endpoint, told apart by the `service` label.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds: from a cached answer (1 ms) to a timed-out upstream (10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const registers = [registry];

/**
 * Gauges read at scrape time from whatever holds the value (a breaker, a hub),
 * combined per label set when several do: counts are summed (several hubs in
 * one process), states take the worst (two subgraphs' breakers for one system).
 */
function readGauge<L extends string>(name: string, help: string, labelNames: readonly L[], combine: 'sum' | 'max' = 'sum') {
  const readers = new Set<{ labels: Partial<Record<L, string>>; read: () => number }>();
  const gauge = new Gauge<L>({
    name,
    help,
    labelNames,
    registers,
    collect() {
      const values = new Map<string, { labels: Partial<Record<L, string>>; value: number }>();
      for (const { labels, read } of readers) {
        const key = JSON.stringify(labels);
        const held = values.get(key);
        const value = read();
        if (!held) values.set(key, { labels, value });
        else held.value = combine === 'sum' ? held.value + value : Math.max(held.value, value);
      }
      this.reset();
      for (const { labels, value } of values.values()) this.set(labels, value);
    },
  });
  return {
    gauge,
    /** Reports `read()` under `labels` until the returned function is called. */
    observe(labels: Partial<Record<L, string>>, read: () => number): () => void {
      const reader = { labels, read };
      readers.add(reader);
      return () => readers.delete(reader);
    },
  };
}

/** Outcome of one GraphQL request: `success`, `partial` (data and errors), `error` (errors, no data), `refused` (4xx before execution). */
export type RequestOutcome = 'success' | 'partial' | 'error' | 'refused';

export const metrics = {
  graphqlRequests: new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests answered, by service, operation name and outcome (success, partial, error, refused).',
    labelNames: ['service', 'operation', 'outcome'] as const,
    registers,
  }),
  graphqlDuration: new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from a GraphQL request read to its answer written, by service and operation name.',
    labelNames: ['service', 'operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  subgraphFetchDuration: new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Gateway to subgraph fetches, by subgraph and outcome (ok, error), retries included.',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  subgraphFetchErrors: new Counter({
    name: 'gateway_subgraph_fetch_errors_total',
    help: 'Failed gateway to subgraph fetches, by subgraph and error code.',
    labelNames: ['subgraph', 'code'] as const,
    registers,
  }),
  upstreamDuration: new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Calls to the systems of record (magento, crm, erp, pos), by system, method and outcome (ok, error, rejected), retries included.',
    labelNames: ['system', 'method', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  }),
  upstreamErrors: new Counter({
    name: 'upstream_errors_total',
    help: 'Failed calls to the systems of record, by system and error code.',
    labelNames: ['system', 'code'] as const,
    registers,
  }),
  /** 0 closed, 1 half-open, 2 open. */
  circuitState: readGauge('circuit_breaker_state', 'Circuit breaker per system of record or subgraph: 0 closed, 1 half-open, 2 open.', ['kind', 'target'] as const, 'max'),
  cacheRequests: new Counter({
    name: 'cache_requests_total',
    help: 'Cache lookups, by cache and result (hit; miss; stale: served past its TTL, while it is refreshed or because the source failed).',
    labelNames: ['cache', 'result'] as const,
    registers,
  }),
  websocketConnections: readGauge('gateway_websocket_connections', 'Open graphql-ws connections on the gateway.', [] as const),
  activeSubscriptions: readGauge('gateway_active_subscriptions', 'Active stockChanged subscriptions on the gateway.', [] as const),
  stockEventsReceived: new Counter({
    name: 'stock_events_received_total',
    help: 'Stock events the gateway read from the event bus.',
    registers,
  }),
  stockEventsDelivered: new Counter({
    name: 'stock_events_delivered_total',
    help: 'stockChanged messages written to subscribers (one per event and subscriber).',
    registers,
  }),
  stockEventLag: new Histogram({
    name: 'stock_event_consumer_lag_seconds',
    help: "Age of a stock event when the gateway read it from the bus: from its occurredAt (the source's clock) to now.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  }),
  syncJobs: new Counter({
    name: 'erp_sync_jobs_total',
    help: 'ERP inventory sync jobs finished, by kind (full, incremental) and outcome (succeeded, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers,
  }),
  syncDuration: new Histogram({
    name: 'erp_sync_duration_seconds',
    help: 'ERP inventory sync job run time, by kind.',
    labelNames: ['kind'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800],
    registers,
  }),
  syncRecords: new Counter({
    name: 'erp_sync_records_total',
    help: 'ERP inventory records read by sync jobs, by kind and result (applied, rejected).',
    labelNames: ['kind', 'result'] as const,
    registers,
  }),
  syncLastSuccess: new Gauge({
    name: 'erp_sync_last_success_timestamp_seconds',
    help: 'When the last successful ERP inventory sync of each kind finished (Unix seconds).',
    labelNames: ['kind'] as const,
    registers,
  }),
};

// Series a dashboard's increase() must see from 0: a counter's first sample would otherwise count nothing.
for (const kind of ['full', 'incremental']) {
  for (const outcome of ['succeeded', 'failed']) metrics.syncJobs.inc({ kind, outcome }, 0);
  for (const result of ['applied', 'rejected']) metrics.syncRecords.inc({ kind, result }, 0);
}

/** Operation names admitted per service: clients choose them, so past a bound the rest are counted as `other`. */
const operationNames = new Map<string, Set<string>>();
/** Names that are always labelled as they are (the trusted documents'), whatever the bound. */
const knownNames = new Set<string>();
const MAX_OPERATION_NAMES = 200;

/** Names the trusted documents manifest registers: always labelled, never pushed out by names clients make up. */
export function registerOperationNames(names: Iterable<string>): void {
  for (const name of names) knownNames.add(name);
}

/**
 * The `operation` label of a client's operation name in `service`:
 * `anonymous` without one; the name itself if it is registered, or among the
 * first `MAX_OPERATION_NAMES` seen by that service; `other` past the bound or
 * for odd names. Each service has its own bound, so the subgraphs' planner-made
 * names (one process in development) never push out the gateway's.
 */
export function operationLabel(service: string, name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (knownNames.has(name)) return name;
  let seen = operationNames.get(service);
  if (!seen) operationNames.set(service, (seen = new Set()));
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATION_NAMES || !/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return 'other';
  seen.add(name);
  return name;
}
