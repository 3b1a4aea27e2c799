import { ApolloGateway } from '@apollo/gateway';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, getOperationAST, print, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { SubgraphName } from '../lib/config.js';
import { sha256Hex } from '../lib/http/hmac.js';
import type { CircuitStatus } from '../lib/http/circuit-status.js';
import type { Logger } from '../lib/logger.js';
import type { GatewayContext } from './gateway-context.js';
import { SubgraphDataSource, subgraphDispatcher } from './subgraph-data-source.js';

export interface FederatedExecutorOptions {
  /** The composed supergraph (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph answers; overrides the URLs composed into the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** Deadline of one subgraph fetch (each try), in ms. */
  subgraphTimeoutMs: number;
  /** Per-subgraph deadlines that differ from `subgraphTimeoutMs`. @default none */
  subgraphTimeoutsMs?: Partial<Record<SubgraphName, number>>;
  /** Retries of a query's fetch after a subgraph outage. @default 0 */
  subgraphRetries?: number;
  /** Each subgraph's circuit breaker. @default 5 outages in a row open it for 10 s */
  subgraphBreaker?: { failures: number; halfOpenAfterMs: number };
  /** Every subgraph request is signed with it, vouching for the request's principal. */
  signingSecret: string;
  logger: Logger;
}

export interface FederatedExecutor {
  /** The public API schema (federation internals removed). */
  schema: GraphQLSchema;
  execute(args: ExecutionArgs): Promise<ExecutionResult>;
  /** Each subgraph's circuit breaker at the gateway. */
  circuits(): Record<string, CircuitStatus>;
  stop(): Promise<void>;
}

/**
 * Plans and runs operations over the subgraphs with @apollo/gateway's query
 * planner, without Apollo Server in front: the HTTP layer is ours
 * (graphql-http), so the gateway only plans and fetches.
 */
export async function createFederatedExecutor(options: FederatedExecutorOptions): Promise<FederatedExecutor> {
  const dispatcher = subgraphDispatcher();
  const sources = new Map<string, SubgraphDataSource>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name as SubgraphName];
      if (!url) throw new Error(`The supergraph names subgraph "${name}", which has no URL configured.`);
      const source = new SubgraphDataSource(name, url, dispatcher, {
        timeoutMs: options.subgraphTimeoutsMs?.[name as SubgraphName] ?? options.subgraphTimeoutMs,
        signingSecret: options.signingSecret,
        retries: options.subgraphRetries,
        breaker: options.subgraphBreaker,
      });
      sources.set(name, source);
      return source;
    },
  });
  const { schema, executor } = await gateway.load();
  const cache = new InMemoryLRUCache();
  // The plan cache is keyed by this hash; documents are cached upstream, so the WeakMap hits.
  const printed = new WeakMap<DocumentNode, { source: string; hash: string }>();
  const sourceOf = (document: DocumentNode) => {
    let entry = printed.get(document);
    if (!entry) {
      const source = print(document);
      entry = { source, hash: sha256Hex(source) };
      printed.set(document, entry);
    }
    return entry;
  };

  const execute = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const operationName = args.operationName ?? null;
    // The HTTP layer found the operation and checked the variables before calling us.
    const operation = getOperationAST(args.document, operationName) as OperationDefinitionNode;
    const { source, hash } = sourceOf(args.document);
    const result = await executor({
      document: args.document,
      // Raw variables, as Apollo Server hands them over: the gateway coerces them per subgraph fetch.
      request: { query: source, operationName: operationName ?? undefined, variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined },
      operationName,
      operation,
      schema,
      schemaHash: hash as never,
      queryHash: hash,
      source,
      context: args.contextValue as GatewayContext,
      cache,
      logger: options.logger,
      metrics: {},
      overallCachePolicy: null,
    });
    return { data: result.data, errors: result.errors?.map(toGraphQLError), ...(result.extensions ? { extensions: result.extensions } : {}) };
  };

  return {
    schema,
    execute,
    circuits: () => Object.fromEntries([...sources].map(([name, source]) => [name, source.circuit()])),
    stop: async () => {
      for (const source of sources.values()) source.close();
      await gateway.stop();
      await dispatcher.close();
    },
  };
}

/** The planner may hand back plain Errors (a subgraph answering garbage); keep them GraphQLErrors so masking applies. */
function toGraphQLError(error: GraphQLError | Error): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}
