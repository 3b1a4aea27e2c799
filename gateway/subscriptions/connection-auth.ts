import { ANONYMOUS, principalOf, type Principal } from '../../lib/auth/claims.js';
import type { TokenVerifier } from '../../lib/auth/token-verifier.js';
import { callerOf } from '../auth/bearer-token.js';
import { CloseCode } from './close-codes.js';

/** What the gateway decided about one WebSocket connection from its `connection_init` payload. */
export type ConnectionVerdict =
  | {
      accepted: true;
      /** Who the connection's operations run as; part of the fan-out key. */
      principal: Principal;
      /** When the token runs out: the connection is closed with 4403 then. Unset: anonymous. */
      expiresAt?: Date;
    }
  | { accepted: false; code: typeof CloseCode.Unauthorized | typeof CloseCode.Forbidden | typeof CloseCode.TryAgainLater; reason: string };

/**
 * The one place a WebSocket connection is judged. Credentials ride in
 * `connection_init`'s payload (browsers cannot set headers on a WebSocket):
 * `{ authorization: "Bearer <token>" }`, or `{ token: "<token>" }`. No token:
 * anonymous; a token that does not verify: closed with 4401. What each
 * subscription may read is checked when it subscribes (websocket-server.ts).
 */
export async function judgeConnection(params: Readonly<Record<string, unknown>> | undefined, verifier: TokenVerifier): Promise<ConnectionVerdict> {
  const credential =
    typeof params?.authorization === 'string' ? params.authorization : typeof params?.token === 'string' ? `Bearer ${params.token}` : undefined;
  const caller = await callerOf(credential, verifier);
  if ('invalid' in caller) return { accepted: false, code: CloseCode.Unauthorized, reason: `Invalid bearer token: ${caller.invalid.message}` };
  if ('unavailable' in caller) return { accepted: false, code: CloseCode.TryAgainLater, reason: 'The token issuer\'s keys cannot be fetched right now; try again' };
  const claims = 'claims' in caller ? caller.claims : undefined;
  return claims ? { accepted: true, principal: principalOf(claims), expiresAt: claims.expiresAt } : { accepted: true, principal: ANONYMOUS };
}
