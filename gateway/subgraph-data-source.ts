import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { SpanKind, SpanStatusCode, context as otelContext, propagation } from '@opentelemetry/api';
import { BrokenCircuitError, CircuitState } from 'cockatiel';
import type { GraphQLError } from 'graphql';
import { Agent, type Dispatcher } from 'undici';
import { ANONYMOUS } from '../lib/auth/claims.js';
import { signGatewayRequest } from '../lib/auth/gateway-signature.js';
import { ErrorCode } from '../lib/errors.js';
import { REQUEST_ID_HEADER } from '../lib/graphql/graphql-http-handler.js';
import type { StaleNotice } from '../lib/graphql/stale-notice.js';
import { circuitStatusOf, reportCircuit, type CircuitStatus } from '../lib/http/circuit-status.js';
import { metrics } from '../lib/observability/metrics.js';
import { tracer } from '../lib/observability/tracing.js';
import type { GatewayContext } from './gateway-context.js';
import { SubgraphFetchError, subgraphFetchPolicy, type SubgraphFetchPolicyOptions } from './subgraph-fetch-policy.js';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** The keep-alive sockets the gateway holds to its subgraphs: its own (closable, unlike undici's global one). */
export function subgraphDispatcher(): Agent {
  return new Agent({ keepAliveTimeout: 30_000, connections: 128 });
}

export interface SubgraphDataSourceOptions extends Partial<SubgraphFetchPolicyOptions> {
  /** Deadline of one try, in ms; a request's own deadline (`deadlineAt` in its context) cuts it shorter. */
  timeoutMs: number;
  /** Signs each request for the principal of its context (subgraphs refuse unsigned calls). */
  signingSecret: string;
}

/**
 * One subgraph as the gateway calls it: a JSON POST through undici's
 * `request` (far cheaper per call than `fetch`, which @apollo/gateway's
 * RemoteGraphQLDataSource goes through with a WHATWG Request per fetch),
 * with a deadline on every try, the request id and `traceparent` forwarded,
 * the caller vouched for with the gateway's signature, and failures named
 * after the subgraph. A query's fetch is retried after no connection or a 5xx
 * with backoff and jitter, within the request's deadline; a mutation's never
 * is (the subgraph may have applied it), nor a timed-out one. A circuit breaker
 * per subgraph stops calling one that keeps failing. The subgraph's
 * `extensions.stale` notices are passed on to the client's response.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly origin: string;
  private readonly path: string;
  private readonly policy: ReturnType<typeof subgraphFetchPolicy>;
  private readonly unobserve: () => void;

  constructor(
    readonly name: string,
    url: string,
    private readonly dispatcher: Dispatcher,
    private readonly options: SubgraphDataSourceOptions,
  ) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
    this.policy = subgraphFetchPolicy({ retries: options.retries ?? 0, breaker: options.breaker ?? { failures: 5, halfOpenAfterMs: 10_000 } });
    this.unobserve = reportCircuit('subgraph', name, this.policy.breaker);
  }

  /** The subgraph's circuit breaker: `open` while it is not being called. */
  circuit(): CircuitStatus {
    return circuitStatusOf(this.policy.breaker.state);
  }

  /** Stops reporting its breaker (the sockets belong to the shared dispatcher). */
  close(): void {
    this.unobserve();
  }

  process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const { request } = options;
    // Health checks and schema loads carry a bare context.
    const context = options.context as Partial<GatewayContext> | undefined;
    const { query, variables, operationName, extensions } = request;
    const body = JSON.stringify({ query, variables, operationName, extensions });
    context?.subgraphReads?.push({ subgraph: this.name, representations: variables?.representations as unknown[] | undefined });
    // Only the fetches of a client's query may be sent twice: every fetch of a mutation's plan is treated as a write.
    const policy = isQueryOf(options) ? this.policy.read : this.policy.write;
    return tracer.startActiveSpan(`subgraph ${this.name}`, { kind: SpanKind.CLIENT, attributes: { 'peer.service': this.name } }, async (span) => {
      const started = performance.now();
      let outcome = 'error';
      try {
        // Out of time before a try: nothing is sent, and the breaker (a half-open trial above all) is not touched.
        if (context?.deadlineAt !== undefined && context.deadlineAt <= performance.now()) throw this.deadlinePassed(false);
        // A half-open breaker lets one trial through, and cockatiel makes every other caller wait on it: they fail at once instead.
        if (this.policy.breaker.state === CircuitState.HalfOpen) throw new BrokenCircuitError();
        const answer = await policy.execute(() => this.fetchOnce(body, context));
        outcome = 'ok';
        passOnStale(answer, context);
        return answer;
      } catch (err) {
        if (err instanceof BrokenCircuitError) outcome = 'rejected';
        const error = err instanceof BrokenCircuitError ? this.circuitOpen() : (err as GraphQLError);
        metrics.subgraphFetchErrors.inc({ subgraph: this.name, code: String(error.extensions.code) });
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        throw error;
      } finally {
        metrics.subgraphFetchDuration.observe({ subgraph: this.name, outcome }, (performance.now() - started) / 1000);
        span.end();
      }
    });
  }

  private async fetchOnce(body: string, context: Partial<GatewayContext> | undefined): Promise<SubgraphResponse> {
    // The request's own deadline leaves this try what is left of it, if that is less than a try's timeout.
    const left = context?.deadlineAt === undefined ? Infinity : context.deadlineAt - performance.now();
    // A retry the deadline leaves no time for: the tries before it failed, so the call did.
    if (left <= 0) throw this.deadlinePassed(true);
    const timeoutMs = Math.min(this.options.timeoutMs, Math.ceil(left));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (context?.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    propagation.inject(otelContext.active(), headers);
    // Health checks and the gateway's own fetches carry no request context: they run as nobody in particular.
    Object.assign(headers, signGatewayRequest(this.options.signingSecret, { method: 'POST', target: this.path, body }, context?.principal ?? ANONYMOUS));
    let status: number;
    let text: string;
    try {
      const response = await this.dispatcher.request({ origin: this.origin, path: this.path, method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      // Cut short by the request's deadline: held against the subgraph only when it had a fair while to answer.
      if (timedOut && timeoutMs < this.options.timeoutMs) throw this.deadlinePassed(timeoutMs >= FAIR_TRY_MS);
      if (timedOut) throw this.failure('timeout', { retryable: false, outage: true }, error as Error);
      throw this.failure('unavailable', { retryable: true, outage: true }, error as Error);
    }
    const failed = status >= 500;
    if (status < 200 || status >= 300) throw this.failure('unavailable', { retryable: failed, outage: failed }, new Error(`${this.name} answered HTTP ${status}: ${text.slice(0, 200)}`));
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch (error) {
      throw this.failure('unavailable', ANSWERED, error as Error);
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw this.failure('unavailable', ANSWERED, new Error(`${this.name} answered a body that is not a JSON object`));
    return answer as SubgraphResponse;
  }

  private failure(kind: 'timeout' | 'unavailable', failure: SubgraphFetchError['failure'], error: Error): SubgraphFetchError {
    return new SubgraphFetchError(
      kind === 'timeout' ? `The ${this.name} service did not answer in time.` : `The ${this.name} service is unavailable.`,
      { code: kind === 'timeout' ? ErrorCode.SUBGRAPH_TIMEOUT : ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name },
      failure,
      error,
    );
  }

  /** The request ran out of time: never retried; an outage for the breaker only when said so. */
  private deadlinePassed(outage: boolean): SubgraphFetchError {
    return new SubgraphFetchError(`The request's deadline passed before the ${this.name} service answered.`, { code: ErrorCode.GATEWAY_TIMEOUT, serviceName: this.name }, { retryable: false, outage });
  }

  private circuitOpen(): SubgraphFetchError {
    return new SubgraphFetchError(`The ${this.name} service is unavailable (not called while it recovers).`, { code: ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name, circuit: 'open' }, ANSWERED);
  }
}

/** The subgraph answered (or was not asked): nothing to retry, nothing against it. */
const ANSWERED = { retryable: false, outage: false };

/** A try the request's deadline cut shorter than this says more about the request's budget than about the subgraph. */
const FAIR_TRY_MS = 1_000;

/** Whether the fetch belongs to a client's query (a health check or schema load counts as one); a mutation's plan, or anything else, is a write. */
function isQueryOf(options: GraphQLDataSourceProcessOptions<GatewayContext>): boolean {
  if (!('incomingRequestContext' in options)) return true;
  return options.incomingRequestContext.operation?.operation === 'query';
}

/** A subgraph's `extensions.stale` notices, kept on the gateway request's context for its own response. */
function passOnStale(answer: SubgraphResponse, context: Partial<GatewayContext> | undefined): void {
  const stale = answer.extensions?.stale;
  if (!context || !Array.isArray(stale)) return;
  (context.stale ??= []).push(...(stale.filter((n) => typeof n === 'object' && n !== null) as StaleNotice[]));
}
