import type { LatencySummary } from './percentiles.js';

/** Everything the load process needs, passed once as its argv[2] (JSON). */
export interface LoadParams {
  subscribers: number;
  /** Connections opened at a time; the next batch starts once these are acknowledged. */
  batch: number;
  /** How long one event may take to reach everyone who should get it before the rest count as lost. */
  timeoutMs: number;
  anchor?: { url: string; broadcasts: number };
  gateway?: {
    websocketUrl: string;
    /** `Bearer <token>` sent in every connection's connection_init. */
    authorization: string;
    readyzUrl: string;
    webhookUrl: string;
    webhookSecret: string;
    /** The stream the gateway follows, tapped to time the inventory side of each delivery. */
    redisUrl: string;
    streamKey: string;
    /** Client i listens to stores[floor(i / perStore) % stores.length] in the filtered phase. */
    stores: string[];
    skus: string[];
    broadcasts: number;
    filteredSeconds: number;
    /** Seconds of the same store-filtered traffic before it is measured: pools, JIT and the resubscription settle. */
    warmupSeconds: number;
    rate: number;
    perStore: number;
    /** Select only the event's own fields (no subgraph round trip per event): a diagnostic. */
    eventFieldsOnly: boolean;
  };
}

/** Steps the orchestrator runs one at a time, sampling CPU and memory of every process around each. */
export type Command =
  | 'anchor-connect'
  | 'anchor-broadcast'
  | 'anchor-close'
  | 'gateway-connect'
  | 'idle'
  | 'broadcast'
  | 'filtered-subscribe'
  | 'filtered-warmup'
  | 'filtered'
  | 'close';

/** What one measured phase saw from the clients' side. */
export interface PhaseResult {
  subscribers: number;
  events: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Messages matching no injected event. */
  unexpected: number;
  /** Messages carrying errors (or a subscription ended by an error); the first one as sent. */
  errors: number;
  firstError?: string;
  /** Injection to each client's receipt. */
  latency: LatencySummary;
  /** Per event: injection to its appearance in the Redis stream (webhook, ledger commit, outbox relay). */
  streamed?: LatencySummary;
  /**
   * From the stream to the first client's receipt, per event: the gateway's side (follow, resolve, fan out).
   * Both times are taken by this process's event loop (the tap's read, the client's), so its own delays land in either.
   */
  fromStream?: LatencySummary;
  /** Per event: injection to its first receipt (the pipeline up to the gateway's fan-out). */
  firstReceipt: LatencySummary;
  /** Per event: injection to its last receipt. */
  lastReceipt: LatencySummary;
  /** Webhook POST round trips (gateway phases only). */
  webhook?: LatencySummary;
  webhookFailures: number;
  /** Client connections closed by the server during the phase. */
  closedClients: number;
  durationMs: number;
  /** The load process's own event-loop delay: high values mean the load, not the gateway, set the latency. */
  loadLoopDelayMs?: { p50: number; p99: number; max: number };
}

export type LoadRequest = { command: Command };
export type LoadReply = { command: Command; result?: PhaseResult; error?: string } | { ready: true };
