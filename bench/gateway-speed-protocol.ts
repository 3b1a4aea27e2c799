import type { Principal } from '../lib/auth/claims.js';
import type { SubgraphName } from '../lib/config.js';
import type { LatencySummary } from './percentiles.js';
import type { ReplayStats } from './subgraph-replay.js';

/** What the stack process needs (argv[2], JSON). */
export interface StackParams {
  signingSecret: string;
  posWebhookSecret: string;
  /** PostgreSQL for the inventory ledger and golden records; unset: embedded PGlite (in the stack process). */
  databaseUrl?: string;
  schema: string;
  archiveDirectory: string;
  skus: number;
  customers: number;
  /** Stock events through Redis (`--redis`): the stream our gateway follows. @default the in-process bus */
  redis?: { url: string; streamKey: string };
}

/** `GET /stats` of the stack: subgraph GraphQL requests answered so far, and each replay's counts. */
export interface StackStats {
  subgraphRequests: number;
  replays: Record<SubgraphName, ReplayStats>;
}

/** What a peer gateway process needs (argv[2], JSON). */
export interface PeerParams {
  subgraphUrls: Record<SubgraphName, string>;
  signingSecret: string;
  /**
   * The principal a peer vouches for when a request carries a bearer token
   * (the peers cannot verify ours: they sign this fixed one); anonymous without.
   */
  principalWithToken: Principal;
  /** Hive Gateway: inbound and outbound (subgraph) request deduplication. */
  deduplication?: boolean;
}

/** One autocannon run of the load process. */
export interface LoadRun {
  url: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  /** Responses, whatever their status. */
  responses: number;
  /** Responses a second over the run's own duration. */
  rps: number;
  /** Every response's latency, ms. */
  latency: LatencySummary;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** 2xx answers carrying GraphQL `errors` (or no `data`). */
  graphqlErrors: number;
  firstBadBody?: string;
  durationMs: number;
}

export type LoadRequest = { run: LoadRun };
export type LoadReply = { result: LoadResult } | { error: string } | { ready: true };
