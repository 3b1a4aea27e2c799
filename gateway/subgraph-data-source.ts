import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { Agent, fetch as undiciFetch } from 'undici';
import { ErrorCode } from '../lib/errors.js';
import { REQUEST_ID_HEADER } from '../lib/graphql/graphql-http-handler.js';
import type { GatewayContext } from './gateway-context.js';

export interface SubgraphFetcher {
  fetcher: Fetcher;
  /** Ends the keep-alive sockets to every subgraph. */
  close(): Promise<void>;
}

/**
 * undici's fetch over a keep-alive pool of the gateway's own (closable, unlike
 * the global one), with a deadline on every subgraph call. Subgraph queries are
 * not retried here: a query plan may hold mutations, and reads are already
 * retried next to the systems of record.
 */
export function subgraphFetcher(timeoutMs: number): SubgraphFetcher {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 128 });
  const fetcher = ((url: string, init?: FetcherRequestInit) =>
    undiciFetch(url, { ...(init as RequestInit), dispatcher, signal: AbortSignal.timeout(timeoutMs) } as never)) as unknown as Fetcher;
  return { fetcher, close: () => dispatcher.close() };
}

/** One subgraph as the gateway calls it: forwards the request id, names itself in errors. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  override didEncounterError(error: Error): void {
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    throw new GraphQLError(timedOut ? `The ${this.name} service did not answer in time.` : `The ${this.name} service is unavailable.`, {
      extensions: { code: timedOut ? ErrorCode.SUBGRAPH_TIMEOUT : ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name },
      originalError: error,
    });
  }
}
