import { GraphQLError } from 'graphql';
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, wrap, type IPolicy } from 'cockatiel';

/** A failed subgraph fetch; `outage` when the subgraph itself is in trouble (no answer, a timeout, a 5xx), which retries and the breaker act on. */
export class SubgraphFetchError extends GraphQLError {
  constructor(message: string, extensions: Record<string, unknown>, readonly outage: boolean, originalError?: Error) {
    super(message, { extensions, originalError });
  }
}

export interface SubgraphFetchPolicyOptions {
  /** Retries of a query's fetch after an outage, with exponential backoff and decorrelated jitter (50 ms, doubling, at most 1 s). */
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

const isOutage = (err: unknown): boolean => err instanceof SubgraphFetchError && err.outage;

/** One subgraph's circuit breaker, and the retry policy its reads get inside it (cockatiel). */
export function subgraphFetchPolicy(options: SubgraphFetchPolicyOptions): SubgraphFetchPolicy {
  const breaker = circuitBreaker(handleWhen(isOutage), { halfOpenAfter: options.breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breaker.failures) });
  const retries = retry(handleWhen(isOutage), { maxAttempts: options.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) });
  return { read: wrap(breaker, retries), write: breaker, breaker };
}
