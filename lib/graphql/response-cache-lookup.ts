import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { OperationNaming } from '../observability/observe-operation.js';

/** A response held by a response cache, sent again as it was. */
export interface CachedResponse {
  /** Bytes, so nothing is encoded again per request. */
  body: Buffer;
  /** Every header it is sent with, `content-length` included (the request id and cache status are added per request). */
  headers: Readonly<Record<string, string>>;
  /** Its operation's type and name, for the metrics and span of a request it answers. */
  operation: OperationNaming;
}

/** What a response cache holds for a request: sent without executing anything. */
export interface ResponseCacheHit {
  readonly hit: CachedResponse;
}

/**
 * A request the cache holds nothing for: it hears the result and then the
 * response, to keep them if its policy allows.
 */
export interface ResponseCacheMiss<C> {
  readonly hit?: undefined;
  /** Execution is done: decides whether the result may be kept (its operation's max age, no errors). */
  executed(args: ExecutionArgs, result: ExecutionResult, context: C): void;
  /** Whether `executed` decided to keep the result (if it is answered 200): the request is told it was a miss. */
  readonly keeping: boolean;
  /** The response as sent, kept when `executed` allowed it. */
  responded(status: number, headers: Readonly<Record<string, string>>, body: string): void;
}

/** One request's dealings with a response cache (the gateway's is gateway/response-cache/). */
export type ResponseCacheLookup<C> = ResponseCacheHit | ResponseCacheMiss<C>;

/** Finds a request's cached response by what it sent and who sent it; undefined: the cache has nothing to do with it. */
export type ResponseCache<C, Req, P> = (req: Req, body: string | null, principal: P) => ResponseCacheLookup<C> | undefined;
