import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStockEventBus } from '../lib/events/memory-stock-event-bus.js';
import { listen, type RunningServer } from '../lib/http/http-server.js';
import { supergraphPath } from '../lib/project-root.js';
import { graphql } from '../test/support/graphql-client.js';
import { testLogger } from '../test/support/logger.js';
import { startGateway, type RunningGateway } from './gateway-server.js';

/**
 * What a subgraph's errors look like once the gateway forwards them: whatever
 * a subgraph lets slip (a message with internals, a stack trace, a code
 * clients are not promised) is masked; errors raised on purpose keep their
 * message and code. A stand-in subgraph answers every fetch with such errors.
 */
const SECRET = 'password=hunter2 at db.internal:5432';
const bus = createMemoryStockEventBus();
let subgraph: RunningServer;
let gateway: RunningGateway;

beforeAll(async () => {
  subgraph = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          data: { product: null },
          errors: [
            { message: `connect failed: ${SECRET}`, path: ['product'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: [`Error: ${SECRET}`] } },
            { message: `no code: ${SECRET}`, path: ['product'] },
            { message: `odd code: ${SECRET}`, path: ['product'], extensions: { code: 'SOMETHING_INTERNAL' } },
            { message: 'first must be between 1 and 100', path: ['product'], extensions: { code: 'BAD_USER_INPUT', exception: { stacktrace: [SECRET] } } },
          ],
        }),
      );
    });
  }, 0);
  const url = `${subgraph.url}/graphql`;
  gateway = await startGateway({
    port: 0,
    supergraph: { path: supergraphPath() },
    subgraphUrls: { product: url, inventory: url, customer: url, order: url },
    bus,
    graphiql: false,
    subgraphSigningSecret: 'error-masking-test-secret-of-32-characters',
    logger: testLogger('gateway'),
  });
});

afterAll(async () => {
  await gateway?.close();
  await subgraph?.close();
  await bus.close();
});

describe('errors a subgraph sends, as the gateway forwards them', () => {
  it('masks internals (INTERNAL_SERVER_ERROR, no code, an unknown code) to "Unexpected error." with the request id, and drops stack traces', async () => {
    const { status, headers, body } = await graphql(gateway.graphqlUrl, '{ product(sku: "CG-000001") { name } }', undefined, { 'x-request-id': 'mask-test-1' });
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(headers.get('x-request-id')).toBe('mask-test-1');
    const errors = body.errors!;
    expect(errors.slice(0, 3).map((e) => [e.message, e.extensions])).toEqual(
      Array.from({ length: 3 }, () => ['Unexpected error.', { code: 'INTERNAL_SERVER_ERROR', requestId: 'mask-test-1' }]),
    );
    expect(errors[3]).toMatchObject({ message: 'first must be between 1 and 100', extensions: { code: 'BAD_USER_INPUT', requestId: 'mask-test-1' } });
    expect(errors[3]!.extensions).not.toHaveProperty('exception');
  });
});
