import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_ID_HEADER } from '../lib/graphql/graphql-http-handler.js';
import type { Principal } from '../lib/auth/claims.js';
import { verifyGatewayRequest } from '../lib/auth/gateway-signature.js';
import type { GatewayContext } from './gateway-context.js';
import { SubgraphDataSource, subgraphDispatcher } from './subgraph-data-source.js';
import { freePort } from '../test/support/free-port.js';

const SECRET = 'a-test-secret-of-at-least-32-characters';
const PARTNER: Principal = { authenticated: true, subject: 'partner-acme', issuer: 'commerce-graph', scopes: ['orders:read'] };

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** One stub subgraph for the whole file: each test sets its `handler`; `calls` counts the requests it got. */
let server: Server;
let url: string;
let handler: Handler;
let calls = 0;
const held: ServerResponse[] = [];
const dispatcher = subgraphDispatcher();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls++;
      handler(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});
afterEach(() => {
  held.splice(0).forEach((res) => res.destroy());
  calls = 0;
  vi.useRealTimers();
});
afterAll(async () => {
  await dispatcher.close();
  server.close();
  await once(server, 'close');
});

describe('SubgraphDataSource', () => {

  const call = (source: SubgraphDataSource, requestId = 'req-1') =>
    source.process({
      kind: 'health check',
      request: { query: '{ a }', variables: { x: 1 }, operationName: 'Op' },
      context: { requestId, principal: PARTNER } as GatewayContext,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);

  it('posts the operation as JSON with the request id and the signed principal, and hands back the body', async () => {
    let seen: { body: unknown; requestId: unknown; contentType: unknown; principal: Principal } | undefined;
    handler = (req, body, res) => {
      const principal = verifyGatewayRequest(SECRET, { method: 'POST', target: req.url ?? '', body, headers: req.headers });
      seen = { body: JSON.parse(body), requestId: req.headers[REQUEST_ID_HEADER], contentType: req.headers['content-type'], principal };
      res.setHeader('content-type', 'application/graphql-response+json');
      res.end(JSON.stringify({ data: { a: 1 } }));
    };
    await expect(call(new SubgraphDataSource('product', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET }), 'req-42')).resolves.toEqual({ data: { a: 1 } });
    expect(seen).toEqual({
      body: { query: '{ a }', variables: { x: 1 }, operationName: 'Op' },
      requestId: 'req-42',
      contentType: 'application/json',
      principal: PARTNER,
    });
  });

  it('names the subgraph with SUBGRAPH_TIMEOUT when it does not answer within the deadline', async () => {
    handler = (_req, _body, res) => void held.push(res);
    await expect(call(new SubgraphDataSource('inventory', url, dispatcher, { timeoutMs: 50, signingSecret: SECRET }))).rejects.toMatchObject({
      message: 'The inventory service did not answer in time.',
      extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'inventory' },
    });
  });

  it('names the subgraph with SUBGRAPH_UNAVAILABLE on an error status or a body that is not a JSON object', async () => {
    const source = new SubgraphDataSource('order', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET });
    const unavailable = { message: 'The order service is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'order' } };
    handler = (_req, _body, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    await expect(call(source)).rejects.toMatchObject(unavailable);
    handler = (_req, _body, res) => res.end('[1, 2]');
    await expect(call(source)).rejects.toMatchObject(unavailable);
    handler = (_req, _body, res) => res.end('<html>');
    await expect(call(source)).rejects.toMatchObject(unavailable);
  });

  it('names the subgraph with SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const port = await freePort();
    await expect(call(new SubgraphDataSource('customer', `http://127.0.0.1:${port}/graphql`, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET }))).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'customer' },
    });
  });
});

describe('SubgraphDataSource retries, breaker and deadline', () => {
  /** One fetch of a client's operation: a query unless the text starts with `mutation` (the client's operation type decides). */
  const fetchOf = (source: SubgraphDataSource, query: string, context: Partial<GatewayContext> = {}) => {
    const contextValue = { requestId: 'r', principal: PARTNER, ...context } as GatewayContext;
    return source.process({
      kind: 'incoming operation',
      request: { query },
      context: contextValue,
      incomingRequestContext: { operation: { operation: query.startsWith('mutation') ? 'mutation' : 'query' }, context: contextValue },
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
  };
  /** Fails the first `failures` calls with 503, then answers. */
  const flaky = (failures: number): Handler => (_req, _body, res) => {
    if (calls <= failures) {
      res.statusCode = 503;
      res.end('unavailable');
    } else res.end(JSON.stringify({ data: { a: 1 } }));
  };

  it('retries a query after a 5xx, and answers once the subgraph does', async () => {
    handler = flaky(2);
    const source = new SubgraphDataSource('product', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET, retries: 2 });
    await expect(fetchOf(source, 'query Q__product__0 { a }')).resolves.toEqual({ data: { a: 1 } });
    expect(calls).toBe(3);
    source.close();
  });

  it('never sends a mutation twice', async () => {
    handler = flaky(1);
    const source = new SubgraphDataSource('inventory', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET, retries: 2 });
    await expect(fetchOf(source, 'mutation M__inventory__0 { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(calls).toBe(1);
    source.close();
  });

  it('does not retry a 4xx or a body that is not JSON: the subgraph is up', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 400;
      res.end('{}');
    };
    const source = new SubgraphDataSource('order', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET, retries: 2, breaker: { failures: 1, halfOpenAfterMs: 60_000 } });
    await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(calls).toBe(1);
    expect(source.circuit()).toBe('closed');
    source.close();
  });

  it('opens its breaker after outages in a row: the subgraph is then not called', async () => {
    handler = flaky(Number.MAX_SAFE_INTEGER);
    const source = new SubgraphDataSource('customer', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET, retries: 0, breaker: { failures: 2, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 2; i++) await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(source.circuit()).toBe('open');
    await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'customer', circuit: 'open' } });
    expect(calls).toBe(2);
    source.close();
  });

  it('does not send a timed-out query again (the subgraph may still be on it), but its breaker counts it', async () => {
    handler = (_req, _body, res) => void held.push(res);
    const source = new SubgraphDataSource('inventory', url, dispatcher, { timeoutMs: 50, signingSecret: SECRET, retries: 2, breaker: { failures: 1, halfOpenAfterMs: 60_000 } });
    await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'inventory' } });
    expect(calls).toBe(1);
    expect(source.circuit()).toBe('open');
    source.close();
  });

  it('lets one trial through a half-open breaker; callers meanwhile fail at once, not waiting on it', async () => {
    handler = flaky(1);
    // cockatiel measures the half-open wait on Date: moved past it, not waited for.
    vi.useFakeTimers({ toFake: ['Date'] });
    const source = new SubgraphDataSource('order', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET, retries: 0, breaker: { failures: 1, halfOpenAfterMs: 60_000 } });
    await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    expect(source.circuit()).toBe('open');
    vi.setSystemTime(Date.now() + 61_000);
    let answer!: (res: ServerResponse) => void;
    handler = (_req, _body, res) => (answer = (r) => r.end(JSON.stringify({ data: { a: 1 } })), held.push(res));
    const trial = fetchOf(source, 'query { a }');
    await vi.waitFor(() => expect(calls).toBe(2));
    expect(source.circuit()).toBe('half-open');
    await expect(fetchOf(source, 'query { a }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', circuit: 'open' } });
    answer(held.pop()!);
    await expect(trial).resolves.toEqual({ data: { a: 1 } });
    expect(source.circuit()).toBe('closed');
    expect(calls).toBe(2);
    source.close();
  });

  it("gives up at the request's deadline with GATEWAY_TIMEOUT, neither retried nor held against the subgraph", async () => {
    handler = (_req, _body, res) => void held.push(res);
    const source = new SubgraphDataSource('product', url, dispatcher, { timeoutMs: 60_000, signingSecret: SECRET, retries: 2, breaker: { failures: 1, halfOpenAfterMs: 60_000 } });
    await expect(fetchOf(source, 'query { a }', { deadlineAt: performance.now() + 300 })).rejects.toMatchObject({ extensions: { code: 'GATEWAY_TIMEOUT', serviceName: 'product' } });
    expect(calls).toBe(1);
    expect(source.circuit()).toBe('closed');
    // A deadline already passed: nothing is sent.
    await expect(fetchOf(source, 'query { a }', { deadlineAt: performance.now() - 1 })).rejects.toMatchObject({ extensions: { code: 'GATEWAY_TIMEOUT' } });
    expect(calls).toBe(1);
    source.close();
  });

  it("passes the subgraph's stale notices on to the request's context", async () => {
    const notice = { service: 'product', system: 'magento', keys: ['CG-1'], ageSeconds: 40 };
    handler = (_req, _body, res) => res.end(JSON.stringify({ data: { a: 1 }, extensions: { stale: [notice] } }));
    const source = new SubgraphDataSource('product', url, dispatcher, { timeoutMs: 5_000, signingSecret: SECRET });
    const context: Partial<GatewayContext> = { stale: [] };
    await fetchOf(source, 'query { a }', context);
    expect(context.stale).toEqual([notice]);
    source.close();
  });
});
