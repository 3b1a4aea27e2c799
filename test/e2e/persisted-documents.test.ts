import { join } from 'node:path';
import { getIntrospectionQuery, print } from 'graphql';
import { createClient, type SubscribePayload } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startGatewayFrom } from '../../bin/start-gateway.js';
import type { RunningStack } from '../../bin/start-stack.js';
import { ProductPageDocument } from '../../clients/generated/graphql.js';
import type { RunningGateway } from '../../gateway/gateway-server.js';
import { sha256Hex } from '../../lib/http/hmac.js';
import { readTrustedDocumentManifest, type TrustedDocumentManifest } from '../../lib/graphql/trusted-document-manifest.js';
import { projectRoot } from '../../lib/project-root.js';
import { asClient } from '../support/gateway-token.js';
import { postGraphql, type GraphQLResponse } from '../support/graphql-client.js';
import { testLogger } from '../support/logger.js';
import { RedisServer } from '../support/redis-server.js';
import { resetUpstreamCalls, startTestStack, upstreamCalls } from '../support/stack.js';

/**
 * Automatic persisted queries (kept in Redis, shared by two gateways),
 * trusted documents for a restricted client, CSRF prevention and
 * introspection turned off, through the whole stack over HTTP and graphql-ws.
 */
const MANIFEST = join(projectRoot(), 'clients', 'trusted-documents.json');
const RESTRICTED = 'pos-terminal-s001';
let redis: RedisServer;
let stack: RunningStack;
let url: string;
/** A second gateway on the same Redis, with introspection off as in production. */
let second: RunningGateway;
let manifest: TrustedDocumentManifest;

beforeAll(async () => {
  redis = await RedisServer.start();
  stack = await startTestStack({ REDIS_URL: redis.url, TRUSTED_DOCUMENTS_FILE: MANIFEST, TRUSTED_DOCUMENTS_CLIENTS: RESTRICTED });
  url = stack.gateway.graphqlUrl;
  second = await startGatewayFrom({ ...stack.config, gateway: { ...stack.config.gateway, port: 0, introspection: false } }, testLogger('gateway-2'), stack.bus);
  manifest = await readTrustedDocumentManifest(MANIFEST);
}, 120_000);
afterAll(async () => {
  await second?.close();
  await stack?.close();
  await redis?.kill();
});

type Answer = Pick<GraphQLResponse, 'status' | 'body'>;

async function get(target: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  const res = await fetch(`${target}?${search}`, { headers: { accept: 'application/graphql-response+json', ...headers } });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

/** One operation over graphql-ws: its result, or the errors the gateway refused it with. */
async function overSocket(payload: SubscribePayload & { documentId?: string }, connectionParams: Record<string, unknown> = {}, target = stack.gateway.websocketUrl): Promise<Answer['body']> {
  const client = createClient({ url: target, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
  try {
    return await new Promise<Answer['body']>((resolve, reject) => {
      let last: Answer['body'] = {};
      client.subscribe(payload, {
        next: (result) => (last = result as Answer['body']),
        error: (err) => (Array.isArray(err) ? resolve({ errors: err }) : reject(err as Error)),
        complete: () => resolve(last),
      });
    });
  } finally {
    await client.dispose();
  }
}

const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } });
const codeOf = (a: Answer['body']) => a.errors?.[0]?.extensions?.code;
const PREFLIGHT = { 'graphql-preflight': '1' };
/** A query no other test registers (APQ keys are shared by both gateways). */
const unique = (tag: string) => `query ${tag} { locations { id name } }`;

describe('automatic persisted queries', () => {
  it('POST: an unknown hash gets PERSISTED_QUERY_NOT_FOUND with 200, the query registers it, then the hash alone is served', async () => {
    const query = unique('ApqPost');
    const miss = await postGraphql(url, { extensions: apq(query) });
    expect(miss.status).toBe(200);
    expect(miss.body).toMatchObject({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(miss.body.data).toBeUndefined();
    const registered = await postGraphql(url, { query, extensions: apq(query) });
    expect(registered.body.errors).toBeUndefined();
    const hit = await postGraphql(url, { extensions: apq(query) });
    expect(hit.status).toBe(200);
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data).toEqual(registered.body.data);
  });

  it('GET: register and hit with the extensions parameter (with a preflight header)', async () => {
    const query = unique('ApqGet');
    expect(codeOf((await get(url, { extensions: apq(query) }, PREFLIGHT)).body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await get(url, { query, extensions: apq(query) }, PREFLIGHT)).body.errors).toBeUndefined();
    const hit = await get(url, { extensions: apq(query) }, PREFLIGHT);
    expect(hit.status).toBe(200);
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data!.locations.length).toBeGreaterThan(0);
  });

  it('WebSocket: the same miss, register and hit over graphql-ws (query "" with the hash)', async () => {
    const query = unique('ApqSocket');
    expect(codeOf(await overSocket({ query: '', extensions: apq(query) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await overSocket({ query, extensions: apq(query) })).errors).toBeUndefined();
    const hit = await overSocket({ query: '', extensions: apq(query) });
    expect(hit.errors).toBeUndefined();
    expect(hit.data!.locations.length).toBeGreaterThan(0);
  });

  it('refuses a hash that is not the SHA-256 of the query with 400 PERSISTED_QUERY_HASH_MISMATCH, over HTTP and WebSocket', async () => {
    const wrong = { extensions: apq('{ products(first: 1) { totalCount } }') };
    const refused = await postGraphql(url, { query: unique('Mismatch'), ...wrong });
    expect(refused.status).toBe(400);
    expect(codeOf(refused.body)).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    expect(refused.body.errors![0]!.extensions!.requestId).toBeDefined();
    expect(codeOf(await overSocket({ query: unique('Mismatch'), ...wrong }))).toBe('PERSISTED_QUERY_HASH_MISMATCH');
  });

  it('is shared through Redis: a query registered on one gateway is served by hash on another', async () => {
    const query = unique('ApqShared');
    expect((await postGraphql(url, { query, extensions: apq(query) })).body.errors).toBeUndefined();
    const hit = await postGraphql(second.graphqlUrl, { extensions: apq(query) });
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data!.locations.length).toBeGreaterThan(0);
  });
});

describe('trusted documents', () => {
  const productPage = () => manifest.operations.find((o) => o.name === 'ProductPage')!;
  const variables = { sku: 'CG-000001' };

  it('the manifest names each generated typed document by the SHA-256 of its printed text', () => {
    expect(sha256Hex(print(ProductPageDocument))).toBe(productPage().id);
  });

  it('refuses a free-form query from a restricted client with 403 TRUSTED_DOCUMENT_REQUIRED before anything runs', async () => {
    const { magento } = stack.simulators;
    const token = stack.config.upstreams.magento.token;
    await resetUpstreamCalls(magento, token);
    const refused = await postGraphql(url, { query: '{ product(sku: "CG-000001") { name } }' }, await asClient(url, RESTRICTED));
    expect(refused.status).toBe(403);
    expect(codeOf(refused.body)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // APQ is no way around it.
    const query = unique('RestrictedApq');
    const registered = await postGraphql(url, { query, extensions: apq(query) }, await asClient(url, RESTRICTED));
    expect([registered.status, codeOf(registered.body)]).toEqual([403, 'TRUSTED_DOCUMENT_REQUIRED']);
    expect((await upstreamCalls(magento, token)).requests).toBe(0);
  });

  it('serves a restricted client its trusted document by id (documentId or the APQ hash) and by its exact text', async () => {
    const headers = await asClient(url, RESTRICTED);
    const byDocumentId = await postGraphql(url, { documentId: `sha256:${productPage().id}`, variables }, headers);
    expect(byDocumentId.body.errors).toBeUndefined();
    expect(byDocumentId.body.data!.product.sku).toBe('CG-000001');
    const byHash = await postGraphql(url, { extensions: { persistedQuery: { version: 1, sha256Hash: productPage().id } }, variables }, headers);
    expect(byHash.body.data).toEqual(byDocumentId.body.data);
    const byText = await postGraphql(url, { query: print(ProductPageDocument), variables }, headers);
    expect(byText.body.data).toEqual(byDocumentId.body.data);
  });

  it('holds over the WebSocket too: a free-form operation refused, the trusted one served', async () => {
    const connectionParams = await asClient(url, RESTRICTED);
    expect(codeOf(await overSocket({ query: '{ locations { id } }' }, connectionParams))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const served = await overSocket({ query: '', documentId: productPage().id, variables }, connectionParams);
    expect(served.errors).toBeUndefined();
    expect(served.data!.product.sku).toBe('CG-000001');
  });

  it('leaves other clients and anonymous callers free to send any query', async () => {
    const partner = await postGraphql(url, { query: '{ locations { id } }' }, await asClient(url, 'partner-acme'));
    expect(partner.body.errors).toBeUndefined();
    expect((await postGraphql(url, { query: '{ locations { id } }' })).body.errors).toBeUndefined();
  });
});

describe('CSRF prevention', () => {
  const query = '{ locations { id } }';

  it('refuses a GET without a preflight header with 400 CSRF_PREVENTED, and serves it with one', async () => {
    const refused = await get(url, { query });
    expect(refused.status).toBe(400);
    expect(codeOf(refused.body)).toBe('CSRF_PREVENTED');
    for (const header of ['graphql-preflight', 'apollo-require-preflight', 'x-apollo-operation-name']) {
      const served = await get(url, { query }, { [header]: '1' });
      expect(served.status, header).toBe(200);
      expect(served.body.errors).toBeUndefined();
    }
  });

  it('refuses a text/plain or form POST (what a page on another site can send), whatever it holds', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ query }) });
      expect(res.status, contentType).toBe(400);
      expect(codeOf((await res.json()) as Answer['body'])).toBe('CSRF_PREVENTED');
    }
  });
});

describe('introspection off (as in production)', () => {
  it('refuses __schema and __type over HTTP and WebSocket, and still answers __typename', async () => {
    const refused = await postGraphql(second.graphqlUrl, { query: getIntrospectionQuery() });
    expect(refused.status).toBe(400);
    expect(codeOf(refused.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors![0]!.message).toMatch(/introspection has been disabled/);
    expect(codeOf(await overSocket({ query: '{ __type(name: "Product") { name } }' }, {}, second.websocketUrl))).toBe('GRAPHQL_VALIDATION_FAILED');
    const typename = await postGraphql(second.graphqlUrl, { query: '{ __typename locations { __typename id } }' });
    expect(typename.body.errors).toBeUndefined();
    expect(typename.body.data!.__typename).toBe('Query');
    // The first gateway (development defaults) still answers it, for GraphiQL.
    expect((await postGraphql(url, { query: '{ __schema { queryType { name } } }' })).body.errors).toBeUndefined();
  });
});
