import type { ExecutionArgs, ExecutionResult, OperationDefinitionNode } from 'graphql';

/** A response held by a response cache, sent again as it was. */
export interface CachedResponse {
  /** Bytes, so nothing is encoded again per request. */
  body: Buffer;
  /** Every header it is sent with, `content-length` included (the request id and cache status are added per request). */
  headers: Readonly<Record<string, string>>;
  /** Its operation's type and name, for the metrics and span of a request it answers. */
  operation: Pick<OperationDefinitionNode, 'operation'> & { name?: { value: string } };
}

/**
 * One request's dealings with a response cache (the gateway's is
 * gateway/response-cache/): what it holds for the request, and, on a miss,
 * the result and then the response, for it to keep if its policy allows.
 */
export interface ResponseCacheLookup<C> {
  /** The response held for this request: sent without executing anything. */
  readonly hit: CachedResponse | undefined;
  /** Execution is done: decides whether the result may be kept (its operation's max age, no errors). */
  executed(args: ExecutionArgs, result: ExecutionResult, context: C): void;
  /** Whether `executed` decided to keep the result (if it is answered 200): the request is told it was a miss. */
  readonly keeping: boolean;
  /** The response as sent, kept when `executed` allowed it. */
  responded(status: number, headers: Readonly<Record<string, string>>, body: string): void;
}

/** Finds a request's cached response by what it sent and who sent it; undefined: the cache has nothing to do with it. */
export type ResponseCache<C, Req, P> = (req: Req, body: string | null, principal: P) => ResponseCacheLookup<C> | undefined;
