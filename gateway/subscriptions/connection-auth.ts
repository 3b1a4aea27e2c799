import { CloseCode } from './close-codes.js';

/** What the gateway decided about one WebSocket connection from its `connection_init` payload. */
export type ConnectionVerdict =
  | { accepted: true; /** Scopes the connection's subscriptions run with; part of the fan-out key. */ scopes: readonly string[] }
  | { accepted: false; code: typeof CloseCode.Unauthorized | typeof CloseCode.Forbidden; reason: string };

/**
 * The one place a WebSocket connection is judged. Credentials ride in
 * `connection_init`'s payload (browsers cannot set headers on a WebSocket).
 * Until bearer tokens exist (the auth issue), every connection is accepted
 * with no scopes; a refusal closes with 4401 or 4403.
 */
export async function judgeConnection(_params: Readonly<Record<string, unknown>> | undefined): Promise<ConnectionVerdict> {
  return { accepted: true, scopes: [] };
}
