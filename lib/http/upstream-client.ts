import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { AxiosError, type AxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay, isIdempotentRequestError } from 'axios-retry';
import { GraphQLError } from 'graphql';
import { SpanKind, SpanStatusCode, context as otelContext, propagation } from '@opentelemetry/api';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';
import type { ZodType } from 'zod';
import type { UpstreamConfig } from '../config.js';
import { ErrorCode } from '../errors.js';
import { circuitStatusOf, reportCircuit, type CircuitStatus } from './circuit-status.js';
import { metrics } from '../observability/metrics.js';
import { tracer } from '../observability/tracing.js';


export interface UpstreamClient {
  /** The system's name as errors and logs show it: `magento`, `crm`, `erp`, `pos`. */
  readonly system: string;
  /** A JSON read, validated against `schema`. Retried on network errors and 5xx (reads are idempotent). */
  get<T>(path: string, schema: ZodType<T>, config?: AxiosRequestConfig): Promise<T>;
  /** A JSON write. Never retried: the upstream may already have applied it. */
  post<T>(path: string, body: unknown, schema: ZodType<T>, config?: AxiosRequestConfig): Promise<T>;
  /**
   * Runs a call of the caller's own (a streamed download) behind this system's
   * circuit breaker, timed and traced like the others. `work` must throw
   * `upstreamError`-style GraphQLErrors for outages to count.
   */
  guard<T>(operation: string, work: (headers: Record<string, string>) => Promise<T>): Promise<T>;
  /** The system's circuit breaker: `open` while the system is not being called. */
  circuit(): CircuitStatus;
  /** Ends the keep-alive sockets, so a closed service leaves nothing open. */
  close(): void;
}

/** What says the system itself is in trouble (not the request): no answer, a timeout, a 5xx. */
const isOutage = (err: unknown): boolean => {
  const code = err instanceof GraphQLError ? err.extensions.code : undefined;
  return code === ErrorCode.UPSTREAM_UNAVAILABLE || code === ErrorCode.UPSTREAM_TIMEOUT;
};

/**
 * An HTTP client for one system of record: bearer token, a timeout on every
 * call, keep-alive sockets, and retries with exponential backoff and jitter for
 * idempotent requests only: GET, HEAD, OPTIONS, PUT or DELETE after a 5xx, a 429
 * or no answer at all (a timeout counts). A POST is never retried, not even after
 * a dropped connection: the upstream may already have applied it.
 *
 * A circuit breaker (cockatiel) per client sits around each call, retries
 * included: after `breaker.failures` outages in a row the system is not
 * called at all, its callers fail at once (so a dead ERP costs no timeouts),
 * and after `breaker.halfOpenAfterMs` one trial call decides whether it closes.
 * A 4xx or a bad body is the request's problem, not an outage, and never opens it.
 */
export function createUpstreamClient(system: string, config: UpstreamConfig): UpstreamClient {
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  const http = axios.create({
    baseURL: config.url,
    timeout: config.timeoutMs,
    headers: { authorization: `Bearer ${config.token}`, accept: 'application/json' },
    httpAgent,
    httpsAgent,
    transitional: { clarifyTimeoutError: true },
  });
  axiosRetry(http, {
    retries: config.retries,
    retryDelay: (count, error) => exponentialDelay(count, error, 100),
    retryCondition: isIdempotentRequestError,
    shouldResetTimeout: true,
  });

  const { failures, halfOpenAfterMs } = config.breaker ?? { failures: 5, halfOpenAfterMs: 10_000 };
  const breaker = circuitBreaker(handleWhen(isOutage), { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(failures) });

  const fetchText = async (request: AxiosRequestConfig): Promise<string> => {
    try {
      return (await http.request({ ...request, responseType: 'text', transformResponse: (d: unknown) => d })).data as string;
    } catch (err) {
      throw upstreamError(system, err);
    }
  };

  /** Through the breaker, in a client span whose `traceparent` the request carries, timed in `upstream_request_duration_seconds`. */
  const guard = <T>(operation: string, work: (headers: Record<string, string>) => Promise<T>): Promise<T> => {
    // Named by method and path alone: query strings hold SKUs and customers' search text, unbounded and personal.
    const [method = 'GET', target = ''] = operation.split(' ');
    const path = target.split('?')[0] as string;
    return tracer.startActiveSpan(`${system} ${method}`, { kind: SpanKind.CLIENT, attributes: { 'peer.service': system, 'http.request.method': method, 'url.path': path } }, async (span) => {
      const started = performance.now();
      let outcome = 'ok';
      try {
        // A half-open breaker lets one trial through, and cockatiel makes every other caller wait on it: they fail at once instead.
        if (breaker.state === CircuitState.HalfOpen) throw new BrokenCircuitError();
        const headers: Record<string, string> = {};
        propagation.inject(otelContext.active(), headers);
        return await breaker.execute(() => work(headers));
      } catch (err) {
        if (err instanceof BrokenCircuitError) {
          outcome = 'rejected';
          throw new GraphQLError(`${system} is unavailable (not called while it recovers).`, {
            extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, service: system, circuit: 'open' },
          });
        }
        outcome = 'error';
        // A caller's own failure (its job stopped) passes through as it is: only upstream errors carry a code.
        metrics.upstreamErrors.inc({ system, code: err instanceof GraphQLError ? String(err.extensions.code) : 'OTHER' });
        throw err;
      } finally {
        metrics.upstreamDuration.observe({ system, method, outcome }, (performance.now() - started) / 1000);
        span.setAttribute('commerce_graph.outcome', outcome);
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  };

  // Read and checked inside the guard: an answer that is not what was asked for is an error in the metrics and the span (not an outage).
  const call = <T>(request: AxiosRequestConfig, schema: ZodType<T>): Promise<T> =>
    guard(`${request.method} ${request.url}`, async (headers) => {
      const text = await fetchText({ ...request, headers: { ...request.headers, ...headers } as AxiosRequestConfig['headers'] });
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw upstreamError(system, err);
      }
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        throw new GraphQLError(`${system} answered an unexpected shape.`, {
          extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, service: system },
          originalError: parsed.error,
        });
      }
      return parsed.data;
    });

  const unobserve = reportCircuit('upstream', system, breaker);
  return {
    system,
    get: (path, schema, cfg) => call({ ...cfg, method: 'GET', url: path }, schema),
    post: (path, body, schema, cfg) => call({ ...cfg, method: 'POST', url: path, data: body }, schema),
    guard,
    circuit: () => circuitStatusOf(breaker.state),
    close: () => {
      unobserve();
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Maps a failed call to a GraphQL error with a stable code naming the system. */
export function upstreamError(system: string, err: unknown): GraphQLError {
  const extensions = (code: ErrorCode, status?: number) => ({ code, service: system, ...(status ? { status } : {}) });
  if (err instanceof SyntaxError) {
    return new GraphQLError(`${system} answered something that is not JSON.`, { extensions: extensions(ErrorCode.UPSTREAM_BAD_RESPONSE), originalError: err });
  }
  if (err instanceof AxiosError) {
    if (err.code === AxiosError.ETIMEDOUT || err.code === AxiosError.ECONNABORTED) {
      return new GraphQLError(`${system} did not answer in time.`, { extensions: extensions(ErrorCode.UPSTREAM_TIMEOUT), originalError: err });
    }
    const status = err.response?.status;
    if (status === 404) {
      return new GraphQLError(`${system} has no such record.`, { extensions: extensions(ErrorCode.NOT_FOUND, status), originalError: err });
    }
    if (status !== undefined && status < 500) {
      return new GraphQLError(`${system} refused the request (${status}).`, { extensions: extensions(ErrorCode.UPSTREAM_BAD_RESPONSE, status), originalError: err });
    }
    return new GraphQLError(`${system} is unavailable.`, { extensions: extensions(ErrorCode.UPSTREAM_UNAVAILABLE, status), originalError: err });
  }
  return new GraphQLError(`${system} call failed.`, { extensions: extensions(ErrorCode.UPSTREAM_UNAVAILABLE), originalError: err instanceof Error ? err : undefined });
}
