/** The gateway benchmark's rows: each a server in a child process of its own, and how to start it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../lib/auth/claims.js';
import { projectRoot } from '../lib/project-root.js';
import type { SubgraphName } from '../lib/config.js';
import type { PeerParams, StackParams } from './gateway-speed-protocol.js';

export type RowName = 'ours' | 'ours-uncached' | 'apollo' | 'hive' | 'hive-dedup' | 'node-http';

export interface RowContext {
  subgraphUrls: Record<SubgraphName, string>;
  signingSecret: string;
  posWebhookSecret: string;
  /** The OAuth clients file holding the benchmark's partner client. */
  clientsFile: string;
  partnerClientId: string;
  principalWithToken: Principal;
  /** Our gateway's rate limits, persisted queries and stock events in this Redis and stream (the stack's); unset: in process. */
  redis?: StackParams['redis'];
  /** Our gateway from `dist/` (npm run build, tsc's output) instead of built from the sources at the start of the run. */
  dist: boolean;
  /** The fixed answer of the node:http ceiling. */
  ceilingBody: string;
  childEnv: NodeJS.ProcessEnv;
  /** The JavaScript built from one of the entry points (bundle-entries.ts). */
  entry(source: string): string;
}

/** Every child process's entry point, built to JavaScript before the run. */
export const ENTRY_POINTS = [
  'bin/service.ts',
  'bench/gateway-speed-stack.ts',
  'bench/http-load.ts',
  'bench/apollo-gateway-peer.ts',
  'bench/hive-gateway-peer.ts',
  'bench/node-http-ceiling.ts',
] as const;

export interface RowDefinition {
  name: RowName;
  title: string;
  /** Node arguments and environment of the row's server process. */
  spawn(ctx: RowContext): { nodeArgs: string[]; env: NodeJS.ProcessEnv };
  /** `/graphql` of the server, from the URL its ready line gave. */
  graphqlUrl(readyUrl: string): string;
  /** Issues and verifies its own bearer tokens (ours): the partner's token is asked of it. @default false */
  issuesTokens?: boolean;
}

const peer = (script: string, params: (ctx: RowContext) => PeerParams) => (ctx: RowContext) => ({
  nodeArgs: [ctx.entry(script), JSON.stringify(params(ctx))],
  env: { ...ctx.childEnv, NODE_ENV: 'production' },
});
const peerParams = (ctx: RowContext, deduplication?: boolean): PeerParams => ({
  subgraphUrls: ctx.subgraphUrls,
  signingSecret: ctx.signingSecret,
  principalWithToken: ctx.principalWithToken,
  ...(deduplication === undefined ? {} : { deduplication }),
});
const asIs = (url: string) => url;

/** A bucket no benchmark empties: the limiter still runs on every request, it just never refuses. */
const UNLIMITED = 1_000_000_000;

/** The `NODE_OPTIONS` the Docker image runs every service with (its `ENV` line), so our rows run as shipped. */
const SHIPPED_NODE_OPTIONS = /^ENV .*\bNODE_OPTIONS=(\S+)/m.exec(readFileSync(join(projectRoot(), 'Dockerfile'), 'utf8'))?.[1] ?? '';

/** Our gateway as shipped (bin/service.ts, production mode, the image's Node options): bearer tokens, rate limits, operation limits, metrics, CSRF prevention, persisted queries, response cache; `env` on top. */
const ours = (env: NodeJS.ProcessEnv = {}) => (ctx: RowContext) => ({
  nodeArgs: [ctx.dist ? 'dist/bin/service.js' : ctx.entry('bin/service.ts'), 'gateway'],
  env: {
    ...ctx.childEnv,
    NODE_OPTIONS: SHIPPED_NODE_OPTIONS,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: '0',
    GATEWAY_SIGNING_SECRET: ctx.signingSecret,
    POS_WEBHOOK_SECRETS: `pos-main=${ctx.posWebhookSecret}`,
    ...Object.fromEntries(Object.entries(ctx.subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
    AUTH_CLIENTS_FILE: ctx.clientsFile,
    AUTH_TOKEN_TTL_S: '3600',
    RATE_LIMIT_ANONYMOUS_BURST: String(UNLIMITED),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(UNLIMITED),
    RATE_LIMIT_CLIENTS: JSON.stringify({ [ctx.partnerClientId]: { burst: UNLIMITED, perMinute: UNLIMITED } }),
    ...(ctx.redis ? { REDIS_URL: ctx.redis.url, STOCK_STREAM_KEY: ctx.redis.streamKey } : {}),
    ...env,
  },
});

export const ROWS: readonly RowDefinition[] = [
  { name: 'ours', title: 'commerce-graph gateway', spawn: ours(), graphqlUrl: (url) => `${url}/graphql`, issuesTokens: true },
  // The same with its response cache off: every request planned and fetched, as a storefront under a stream of stock changes would see more often.
  { name: 'ours-uncached', title: 'commerce-graph, response cache off', spawn: ours({ RESPONSE_CACHE_MAX_BYTES: '0' }), graphqlUrl: (url) => `${url}/graphql`, issuesTokens: true },
  { name: 'apollo', title: '@apollo/gateway + @apollo/server', spawn: peer('bench/apollo-gateway-peer.ts', (ctx) => peerParams(ctx)), graphqlUrl: asIs },
  { name: 'hive', title: 'Hive Gateway, dedup off', spawn: peer('bench/hive-gateway-peer.ts', (ctx) => peerParams(ctx, false)), graphqlUrl: asIs },
  { name: 'hive-dedup', title: 'Hive Gateway, dedup on', spawn: peer('bench/hive-gateway-peer.ts', (ctx) => peerParams(ctx, true)), graphqlUrl: asIs },
  {
    name: 'node-http',
    title: 'bare node:http, fixed body',
    spawn: (ctx) => ({ nodeArgs: [ctx.entry('bench/node-http-ceiling.ts'), ctx.ceilingBody], env: { ...ctx.childEnv, NODE_ENV: 'production' } }),
    graphqlUrl: asIs,
  },
];
