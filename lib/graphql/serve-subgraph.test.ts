import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_PRINCIPAL_HEADER, GATEWAY_SIGNATURE_HEADER, signGatewayRequest } from '../auth/gateway-signature.js';
import { listen, type RunningServer } from '../http/http-server.js';
import { FULL_ACCESS, TEST_GATEWAY_SECRET, gatewayHeaders, principalWith } from '../../test/support/gateway-signing.js';
import { testLogger } from '../../test/support/logger.js';
import { RequiresScopes } from './access-directives.js';
import { buildFederatedSchema } from './build-subgraph-schema.js';
import { REQUEST_ID_HEADER, createGraphQLHttpHandler, type BaseContext } from './graphql-http-handler.js';
import { serveSubgraph } from './serve-subgraph.js';
import { Ctx, Field, ID, ObjectType, Query, Resolver } from './type-graphql.js';

@ObjectType()
class Caller {
  @Field(() => ID, { nullable: true })
  subject?: string;

  @Field(() => [String])
  scopes!: string[];
}

@ObjectType()
@RequiresScopes('ops')
class Secret {
  @Field(() => String)
  value!: string;
}

@Resolver()
class CallerResolver {
  @Query(() => Caller, { description: 'Who the gateway vouched for.' })
  whoami(@Ctx() ctx: BaseContext): Caller {
    return Object.assign(new Caller(), { subject: ctx.principal.subject, scopes: [...ctx.principal.scopes] });
  }

  @Query(() => Secret, { nullable: true })
  secret(): Secret {
    return Object.assign(new Secret(), { value: 'hunter2' });
  }
}

let server: RunningServer;
let graphqlUrl: string;
let webhookCalls = 0;

beforeAll(async () => {
  server = await serveSubgraph({
    name: 'test',
    schema: await buildFederatedSchema({ resolvers: [CallerResolver] }),
    context: (base) => base,
    logger: testLogger('serve-subgraph-test'),
    port: 0,
    gatewaySigningSecret: TEST_GATEWAY_SECRET,
    routes: {
      '/webhooks/test': (_req, res) => {
        webhookCalls += 1;
        res.writeHead(204).end();
      },
    },
  });
  graphqlUrl = `${server.url}/graphql`;
});
afterAll(() => server?.close());

const BODY = JSON.stringify({ query: '{ whoami { subject scopes } }' });
const post = (headers: Record<string, string>, body = BODY) =>
  fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers }, body });

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  const requestId = res.headers.get(REQUEST_ID_HEADER);
  expect(requestId).toBeTruthy();
  expect(await res.json()).toEqual({
    errors: [{ message: 'This service answers only requests signed by the gateway.', extensions: { code: 'UNAUTHENTICATED', requestId } }],
  });
}

describe('a subgraph served by serveSubgraph', () => {
  it('answers a request the gateway signed, with the principal it vouched for in the context', async () => {
    const partner = principalWith('inventory:read', 'orders:read');
    const res = await post(gatewayHeaders(graphqlUrl, 'POST', BODY, { principal: partner }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { whoami: { subject: 'test-client', scopes: ['inventory:read', 'orders:read'] } } });
  });

  it('answers a signed GET (its body is empty; the query string is signed as the target)', async () => {
    const url = `${graphqlUrl}?query=${encodeURIComponent('{ whoami { scopes } }')}`;
    const res = await fetch(url, { headers: { accept: 'application/graphql-response+json', ...gatewayHeaders(url, 'GET', '') } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { whoami: { scopes: [...FULL_ACCESS.scopes] } } });
    const unsigned = await fetch(url, { headers: { accept: 'application/graphql-response+json' } });
    await expectRefused(unsigned);
  });

  it('refuses an unsigned request with 401 UNAUTHENTICATED and the request id, before parsing it', async () => {
    await expectRefused(await post({}));
    await expectRefused(await post({}, 'not even JSON'));
    const sent = await post({ [REQUEST_ID_HEADER]: 'req-unsigned-1' });
    expect(sent.headers.get(REQUEST_ID_HEADER)).toBe('req-unsigned-1');
    await expectRefused(sent);
  });

  it('refuses a bad MAC, a tampered body, a tampered principal and a stale signature', async () => {
    const good = gatewayHeaders(graphqlUrl, 'POST', BODY);
    const signature = good[GATEWAY_SIGNATURE_HEADER]!;
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    await expectRefused(await post({ ...good, [GATEWAY_SIGNATURE_HEADER]: flipped }));
    await expectRefused(await post(gatewayHeaders(graphqlUrl, 'POST', BODY, { secret: 'not-the-gateway-secret-but-as-long-as-one' })));
    await expectRefused(await post(good, JSON.stringify({ query: '{ secret { value } }' })));
    const escalated = Buffer.from(JSON.stringify({ ...principalWith(), scopes: ['ops'] })).toString('base64url');
    const weak = gatewayHeaders(graphqlUrl, 'POST', BODY, { principal: principalWith() });
    await expectRefused(await post({ ...weak, [GATEWAY_PRINCIPAL_HEADER]: escalated }));
    // Signed two minutes ago: a replay of a captured request.
    const stale = signGatewayRequest(TEST_GATEWAY_SECRET, { method: 'POST', target: '/graphql', body: BODY }, FULL_ACCESS, Date.now() - 120_000);
    await expectRefused(await post(stale));
    // Signed for another path of the same server.
    await expectRefused(await post(gatewayHeaders(`${server.url}/other`, 'POST', BODY)));
  });

  it('enforces the schema\'s scopes on the principal it verified', async () => {
    const body = JSON.stringify({ query: '{ whoami { subject } secret { value } }' });
    const weak = await (await post(gatewayHeaders(graphqlUrl, 'POST', body, { principal: principalWith('inventory:read') }), body)).json();
    expect(weak).toMatchObject({
      data: { whoami: { subject: 'test-client' }, secret: null },
      errors: [{ message: 'Query.secret needs scope ops.', path: ['secret'], extensions: { code: 'FORBIDDEN', requestId: expect.any(String) } }],
    });
    const ops = await (await post(gatewayHeaders(graphqlUrl, 'POST', body, { principal: principalWith('ops') }), body)).json();
    expect(ops).toEqual({ data: { whoami: { subject: 'test-client' }, secret: { value: 'hunter2' } } });
  });

  it('leaves /healthz, /readyz and its other routes unsigned', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${server.url}/webhooks/test`, { method: 'POST', body: '{}' })).status).toBe(204);
    expect(webhookCalls).toBe(1);
  });
});

describe('createGraphQLHttpHandler without gatewaySignature (as the gateway uses it)', () => {
  it('answers unsigned requests, as ANONYMOUS, and ignores signature headers', async () => {
    const schema = await buildFederatedSchema({ resolvers: [CallerResolver] });
    const handler = createGraphQLHttpHandler({ service: 'test', schema, context: (base) => base, logger: testLogger('handler-test') });
    const plain = await listen(handler, 0);
    try {
      const url = `${plain.url}/graphql`;
      const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
      expect(await unsigned.json()).toEqual({ data: { whoami: { subject: null, scopes: [] } } });
      // Whatever a client claims in the gateway's headers, nothing here believes it.
      const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...gatewayHeaders(url, 'POST', BODY) }, body: BODY });
      expect(await forged.json()).toEqual({ data: { whoami: { subject: null, scopes: [] } } });
    } finally {
      await plain.close();
    }
  });
});
