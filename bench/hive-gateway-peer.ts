/**
 * Hive Gateway (`@graphql-hive/gateway`) over our supergraph and this run's
 * subgraphs: the runtime its CLI serves (`hive-gateway supergraph`, one
 * process, `--fork 1` as the CLI defaults), in a `node:http` server as the CLI
 * makes it. Request deduplication on: incoming identical requests in flight
 * share one execution, and so do identical subgraph requests (the HTTP
 * transport's default); off: neither. A plugin signs each subgraph request
 * over the exact body sent (peer-signing.ts), as our subgraphs demand.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { SUBGRAPH_NAMES } from '../lib/config.js';
import type { PeerParams } from './gateway-speed-protocol.js';
import { bodyText, peerSupergraphSdl, principalOf, signatureHeaders } from './peer-signing.js';

const params = JSON.parse(process.argv[2] ?? '{}') as PeerParams;
const deduplication = params.deduplication ?? false;

const signSubgraphRequests: GatewayPlugin = {
  onFetch({ url, options, setOptions, context }) {
    const caller = 'request' in context ? context.request.headers.get('authorization') : null;
    const signature = signatureHeaders(params, url, bodyText(options.body), principalOf(params, caller));
    const headers = options.headers;
    if (headers instanceof Headers) {
      for (const [name, value] of Object.entries(signature)) headers.set(name, value);
    } else {
      setOptions({ ...options, headers: { ...(headers as Record<string, string> | undefined), ...signature } });
    }
  },
};

const runtime = createGatewayRuntime({
  supergraph: peerSupergraphSdl(),
  transportEntries: {
    // This run's subgraphs, by their name in `@join__graph`.
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, { location: params.subgraphUrls[name] }])),
    '*.http': { options: { deduplicateInflightRequests: deduplication } },
  },
  inboundInflightRequestDeduplication: deduplication,
  plugins: () => [signSubgraphRequests],
  logging: 'warn',
});
// Loaded before it listens, as the CLI does: the first measured request does not compose the schema.
await runtime.getSchema();
const server = createServer({ maxHeaderSize: 16_384 }, runtime);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: deduplication ? 'hive-dedup' : 'hive', url: `http://127.0.0.1:${port}${runtime.graphqlEndpoint}` })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => void Promise.resolve(runtime.dispose()).finally(() => process.exit(0)));
  });
}
