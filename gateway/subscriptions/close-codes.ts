import { CloseCode as GraphQLWsCloseCode } from 'graphql-ws';

/**
 * WebSocket close codes the gateway uses on `/graphql`, besides graphql-ws's
 * own (4400 bad request, 4408 init timeout, 4409 duplicate id, ...).
 * Clients branch on these, so they never change.
 */
export const CloseCode = {
  /** No credentials, or credentials that do not verify, in `connection_init`. */
  Unauthorized: GraphQLWsCloseCode.Unauthorized,
  /** Credentials that verify but may not subscribe. */
  Forbidden: GraphQLWsCloseCode.Forbidden,
  /**
   * The client read too slowly: more messages waited for it than the
   * per-connection limit allows. Reconnect and resubscribe with `after:` the
   * last `eventId` received to get the rest.
   */
  SlowConsumer: 4413,
  /** The gateway is shutting down; reconnect (to another replica) and resume with `after`. */
  GoingAway: 1001,
  /** The token could not be checked (its issuer's keys are out of reach): reconnect later with the same token. */
  TryAgainLater: 1013,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
