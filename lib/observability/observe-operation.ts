import { SpanKind, SpanStatusCode, context as otelContext, propagation, trace } from '@opentelemetry/api';
import type { ExecutionResult, OperationDefinitionNode } from 'graphql';
import { metrics, operationLabel, type RequestOutcome } from './metrics.js';
import { inRequestScope } from './request-scope.js';
import { tracer } from './tracing.js';

/** An operation's type and name: all its metrics and span need of it (an `OperationDefinitionNode` is one). */
export type OperationNaming = Pick<OperationDefinitionNode, 'operation'> & { name?: { value: string } };

/** What one GraphQL operation's metrics and span say, filled in as it gets through: refused until it is executed. */
export interface Observation {
  /** Names it once its operation is known: the metric's label, and the span's name as OpenTelemetry's GraphQL conventions have it (`query Products`). */
  named(operation: OperationNaming): void;
  outcome: RequestOutcome;
}

/** `success` without errors, `partial` with data and errors, `error` with errors and no data. */
export function outcomeOf(result: ExecutionResult): RequestOutcome {
  return !result.errors?.length ? 'success' : result.data ? 'partial' : 'error';
}

/**
 * Runs one GraphQL operation (over HTTP or WebSocket, at the gateway or a
 * subgraph) in a server span that continues the caller's W3C `traceparent`
 * (read from `carrier`), in its request's scope (every log line carries the
 * request id), and counts it in `graphql_requests_total` and
 * `graphql_request_duration_seconds` when it is done.
 */
export async function observeOperation<T>(service: string, requestId: string, carrier: Record<string, unknown>, work: (observation: Observation) => Promise<T>): Promise<T> {
  const parent = propagation.extract(otelContext.active(), carrier);
  const span = tracer.startSpan('graphql', { kind: SpanKind.SERVER, attributes: { 'commerce_graph.service': service, 'commerce_graph.request_id': requestId } }, parent);
  const started = performance.now();
  let operation = 'anonymous';
  const observation: Observation = {
    named(definition) {
      operation = operationLabel(service, definition.name?.value);
      span.updateName(definition.name ? `${definition.operation} ${definition.name.value}` : definition.operation);
      span.setAttributes({ 'graphql.operation.type': definition.operation, ...(definition.name ? { 'graphql.operation.name': definition.name.value } : {}) });
    },
    outcome: 'refused',
  };
  try {
    return await otelContext.with(trace.setSpan(parent, span), () => inRequestScope(requestId, () => work(observation)));
  } catch (err) {
    observation.outcome = 'error';
    throw err;
  } finally {
    const { outcome } = observation;
    metrics.graphqlRequests.inc({ service, operation, outcome });
    metrics.graphqlDuration.observe({ service, operation }, (performance.now() - started) / 1000);
    span.setAttribute('commerce_graph.outcome', outcome);
    if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
}
