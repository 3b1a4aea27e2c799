import { GraphQLError } from 'graphql';
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap, type IPolicy } from 'cockatiel';

/**
 * A failed subgraph fetch. `retryable`: the subgraph did not take the request
 * or failed it (no connection, a 5xx), so sending it again is worth it.
 * `outage`: the subgraph is in trouble (that, or it did not answer in the
 * time it had), which its breaker counts.
 */
export class SubgraphFetchError extends GraphQLError {
  constructor(
    message: string,
    extensions: Record<string, unknown>,
    readonly failure: { retryable: boolean; outage: boolean },
    originalError?: Error,
  ) {
    super(message, { extensions, originalError });
  }
}

export interface SubgraphFetchPolicyOptions {
  /** Retries of a query's fetch after no connection or a 5xx (not after a timeout: the subgraph may still be working on it), with exponential backoff and decorrelated jitter (50 ms, doubling, at most 1 s). */
  retries: number;
  /** Outages in a row that open the breaker, and how long it stays open before one trial call. */
  breaker: { failures: number; halfOpenAfterMs: number };
}

export interface SubgraphFetchPolicy {
  /** For a query's fetch: retried inside the breaker (its tries count as one call). */
  read: IPolicy;
  /** For a mutation's fetch: never retried (the subgraph may have applied it), but still behind the breaker. */
  write: IPolicy;
  breaker: ReturnType<typeof circuitBreaker>;
}

/**
 * One subgraph's circuit breaker, and the retry policy its reads get inside it
 * (cockatiel). The breaker handles every failure that is not the subgraph
 * answering (a 4xx, a bad body): cockatiel closes a half-open breaker on any
 * error it does not handle.
 */
export function subgraphFetchPolicy(options: SubgraphFetchPolicyOptions): SubgraphFetchPolicy {
  const breaker = circuitBreaker(
    handleWhen((err) => err instanceof SubgraphFetchError && err.failure.outage),
    { halfOpenAfter: options.breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breaker.failures) },
  );
  const retries = retry(
    handleWhen((err) => err instanceof SubgraphFetchError && err.failure.retryable),
    { maxAttempts: options.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) },
  );
  return { read: wrap(breaker, retries), write: breaker, breaker };
}
