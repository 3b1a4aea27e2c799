import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { startTracing } from '../../lib/observability/start-tracing.js';
import type { Tracing } from '../../lib/observability/tracing.js';
import { scrape } from '../support/metrics-scrape.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, startTestStack } from '../support/stack.js';
import { subscribe } from '../support/subscription-client.js';

/**
 * What operations sees, after known traffic through the gateway: the
 * Prometheus counters on the gateway's and the subgraphs' `/metrics`, and one
 * trace from the client's `traceparent` through gateway, subgraph and the
 * Magento call (spans kept in memory). The whole stack runs in this process,
 * so one tracer provider records every service's spans.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let stack: RunningStack;
const METRICS_TOKEN = 'scrape-token-for-tests';
beforeAll(async () => {
  tracing = startTracing({ serviceName: 'commerce-graph-test', processors: [new SimpleSpanProcessor(exporter)] });
  stack = await startTestStack({ METRICS_TOKEN, PRODUCT_CACHE_TTL_MS: '0' });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await tracing?.close();
});

const gatewayMetrics = () => scrape(new URL('/metrics', stack.gateway.graphqlUrl).href, { authorization: `Bearer ${METRICS_TOKEN}` });
const PROBE = 'query MetricsProbe($sku: ID!) { product(sku: $sku) { name stock { available } } }';

describe('/metrics', () => {
  it("is the scraper's only, on the gateway's public port", async () => {
    expect((await fetch(new URL('/metrics', stack.gateway.graphqlUrl))).status).toBe(401);
  });

  it('counts requests by operation and outcome, subgraph fetches, upstream calls and breaker states', async () => {
    const sku = stack.dataset.products[3]!.sku;
    const before = await gatewayMetrics();
    for (let i = 0; i < 3; i++) expect((await graphql(stack.gateway.graphqlUrl, PROBE, { sku })).body.errors).toBeUndefined();
    // Partial: an anonymous caller may not read customers (FORBIDDEN), the product is served.
    const partial = await graphql(stack.gateway.graphqlUrl, 'query PartialProbe($sku: ID!) { product(sku: $sku) { name } customer(id: "x") { name } }', { sku });
    expect(partial.body.data?.product?.name).toBeTruthy();
    expect(partial.body.errors?.length).toBeGreaterThan(0);
    // Refused before execution: it does not validate.
    expect((await graphql(stack.gateway.graphqlUrl, 'query RefusedProbe { nope }')).status).toBe(400);

    const after = await gatewayMetrics();
    const delta = (name: string, labels: Record<string, string>) => after.counter(name, labels) - before.counter(name, labels);
    expect(delta('graphql_requests_total', { service: 'gateway', operation: 'MetricsProbe', outcome: 'success' })).toBe(3);
    expect(delta('graphql_request_duration_seconds_count', { service: 'gateway', operation: 'MetricsProbe' })).toBe(3);
    expect(delta('graphql_requests_total', { service: 'gateway', operation: 'PartialProbe', outcome: 'partial' })).toBe(1);
    expect(delta('graphql_requests_total', { service: 'gateway', operation: 'anonymous', outcome: 'refused' })).toBe(1);
    // Each probe fetches the product, then its stock: one fetch each from product and inventory.
    expect(delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'product', outcome: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'inventory', outcome: 'ok' })).toBe(3);
    // The subgraphs count what the gateway sent them (the whole stack shares this process's registry).
    expect(delta('graphql_requests_total', { service: 'inventory', outcome: 'success' })).toBeGreaterThanOrEqual(3);
    // Uncached: every probe reads Magento.
    expect(delta('upstream_request_duration_seconds_count', { system: 'magento', outcome: 'ok' })).toBeGreaterThanOrEqual(3);
    expect(after.value('circuit_breaker_state', { kind: 'subgraph', target: 'product' })).toBe(0);
    expect(after.value('circuit_breaker_state', { kind: 'upstream', target: 'magento' })).toBe(0);
    expect(after.value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts queries over WebSocket, and requests refused before the GraphQL handler, as it counts HTTP ones', async () => {
    const before = await gatewayMetrics();
    const terminal = await asClient(stack.gateway.graphqlUrl, 'pos-terminal-s001');
    const socket = subscribe(stack.gateway.websocketUrl, 'query OverSocket { locations { id } }', {}, terminal);
    const [answer] = await socket.take(1);
    expect(answer!.errors).toBeUndefined();
    await socket.close();
    // A bad token (401) and a GET without a preflight header (400): neither reaches the GraphQL handler.
    expect((await graphql(stack.gateway.graphqlUrl, '{ locations { id } }', undefined, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await fetch(`${stack.gateway.graphqlUrl}?query=${encodeURIComponent('{ locations { id } }')}`)).status).toBe(400);
    const after = await gatewayMetrics();
    const delta = (name: string, labels: Record<string, string>) => after.counter(name, labels) - before.counter(name, labels);
    expect(delta('graphql_requests_total', { service: 'gateway', operation: 'OverSocket', outcome: 'success' })).toBe(1);
    expect(delta('graphql_requests_total', { service: 'gateway', operation: 'anonymous', outcome: 'refused' })).toBe(2);
  });

  it('is served by each subgraph too', async () => {
    const product = await scrape(`${stack.subgraphs.product.url}/metrics`);
    expect(product.value('graphql_requests_total', { service: 'product', outcome: 'success' })).toBeGreaterThan(0);
  });
});

describe('tracing', () => {
  it("follows the client's traceparent through gateway, subgraph and Magento in one trace", async () => {
    const traceId = 'aa'.repeat(16);
    const clientSpanId = 'bb'.repeat(8);
    const sku = stack.dataset.products[4]!.sku;
    const res = await graphql(stack.gateway.graphqlUrl, 'query TracedProduct($sku: ID!) { product(sku: $sku) { name } }', { sku }, { traceparent: `00-${traceId}-${clientSpanId}-01` });
    expect(res.body.errors).toBeUndefined();

    const inTrace = (): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string) => inTrace().find((s) => s.name === name);
    // The gateway's server span ends last, after it has written the answer.
    await vi.waitFor(() => expect(inTrace().filter((s) => s.name === 'query TracedProduct')).toHaveLength(1));
    const parentOf = (span: ReadableSpan) => inTrace().find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId);
    const ancestry = (span: ReadableSpan): string[] => {
      const names: string[] = [];
      for (let at = parentOf(span); at; at = parentOf(at)) names.push(at.name);
      return names;
    };

    const gatewaySpan = named('query TracedProduct')!;
    expect(gatewaySpan.parentSpanContext?.spanId).toBe(clientSpanId);
    expect(gatewaySpan.attributes['commerce_graph.service']).toBe('gateway');
    const subgraphServer = inTrace().find((s) => s.attributes['commerce_graph.service'] === 'product')!;
    const magento = inTrace().find((s) => s.name.startsWith('magento GET'))!;
    expect(magento).toBeDefined();
    // magento GET ← product's server span ← the gateway's call to product ← the planner's fetch ← … ← the gateway's server span.
    expect(ancestry(magento)[0]).toBe(subgraphServer.name);
    expect(ancestry(subgraphServer)[0]).toBe('subgraph product');
    expect(ancestry(subgraphServer)).toContain('gateway.fetch');
    expect(ancestry(subgraphServer).at(-1)).toBe('query TracedProduct');
    // Every span carries the request id's trace: the answer's request id is on the gateway span.
    expect(gatewaySpan.attributes['commerce_graph.request_id']).toBe(res.headers.get('x-request-id'));
  });
});
