/**
 * The baseline a user would otherwise pick: `@apollo/gateway` under
 * `@apollo/server`'s standalone server, default settings, over our supergraph
 * and this run's subgraphs. The only addition is what our subgraphs demand of
 * any caller: each subgraph request signed over the exact body sent (the
 * default fetcher, wrapped), vouching for a fixed principal (peer-signing.ts).
 */
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { SubgraphName } from '../lib/config.js';
import type { PeerParams } from './gateway-speed-protocol.js';
import { bodyText, peerSupergraphSdl, principalOf, signatureHeaders } from './peer-signing.js';

const params = JSON.parse(process.argv[2] ?? '{}') as PeerParams;

type Fetcher = RemoteGraphQLDataSource['fetcher'];

interface PeerContext {
  authorization?: string;
}

/** Carries the caller's bearer token from `willSendRequest` (which sees the context) to the fetcher (which sees the body); never sent. */
const CALLER_HEADER = 'x-bench-caller-authorization';

class SignedDataSource extends RemoteGraphQLDataSource<PeerContext> {
  constructor(url: string) {
    super({ url });
    // The fetcher RemoteGraphQLDataSource made for itself (make-fetch-happen, unlimited sockets, no retries).
    const defaultFetcher = this.fetcher;
    const signed: Fetcher = (url, init) => {
      const headers = { ...(init?.headers as Record<string, string> | undefined) };
      const caller = headers[CALLER_HEADER];
      delete headers[CALLER_HEADER];
      const body = bodyText(init?.body);
      return defaultFetcher(url, { ...init, headers: { ...headers, ...signatureHeaders(params, url, body, principalOf(params, caller)) } });
    };
    this.fetcher = signed;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<PeerContext>): void {
    if (context?.authorization) request.http?.headers.set(CALLER_HEADER, context.authorization);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: peerSupergraphSdl(),
  buildService: ({ name }) => new SignedDataSource(params.subgraphUrls[name as SubgraphName]),
});
const server = new ApolloServer<PeerContext>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: 0 },
  context: async ({ req }) => (req.headers.authorization ? { authorization: req.headers.authorization } : {}),
});
// Apollo Server stops itself on SIGTERM (its default outside tests).
process.stdout.write(`${JSON.stringify({ ready: 'apollo', url })}\n`);
