import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthClaims } from '../../lib/auth/claims.js';
import { InvalidTokenError, KeysUnavailableError, type TokenVerifier } from '../../lib/auth/token-verifier.js';
import { ErrorCode } from '../../lib/errors.js';
import { refuseRequest } from '../refuse-request.js';

/** A request's caller: anonymous (no token), or the verified claims; a bad token is refused, and so is any token while its issuer's keys cannot be fetched. */
export type Caller = { claims?: AuthClaims } | { invalid: InvalidTokenError } | { unavailable: KeysUnavailableError };

/** The token of `Authorization: Bearer <token>`; undefined without the header; a header of another shape is a bad token. */
function bearerTokenOf(authorization: string | undefined): string | undefined | InvalidTokenError {
  if (authorization === undefined || authorization === '') return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization.trim());
  return match ? match[1] : new InvalidTokenError('Authorization is not a Bearer token');
}

/** Verifies the caller's bearer token, if any. */
export async function callerOf(credential: string | undefined, verifier: TokenVerifier): Promise<Caller> {
  const token = bearerTokenOf(credential);
  if (token === undefined) return {};
  if (token instanceof InvalidTokenError) return { invalid: token };
  try {
    return { claims: await verifier.verify(token) };
  } catch (err) {
    if (err instanceof InvalidTokenError) return { invalid: err };
    if (err instanceof KeysUnavailableError) return { unavailable: err };
    throw err;
  }
}

/**
 * RFC 6750 §3.1: a bad token gets 401 with `WWW-Authenticate: Bearer
 * error="invalid_token"` and code UNAUTHENTICATED; a token whose issuer's
 * keys are out of reach gets 503 with `Retry-After` (the client should keep
 * its token and try again, not log in afresh).
 */
export function refuseToken(req: IncomingMessage, res: ServerResponse, caller: Exclude<Caller, { claims?: AuthClaims }>): void {
  if ('unavailable' in caller) {
    refuseRequest(req, res, 503, { message: "The token issuer's keys cannot be fetched right now; try again.", code: ErrorCode.AUTH_UNAVAILABLE }, { 'retry-after': '30' });
    return;
  }
  const description = caller.invalid.message.replace(/["\\]/g, '');
  refuseRequest(req, res, 401, { message: `Invalid bearer token: ${caller.invalid.message}.`, code: ErrorCode.UNAUTHENTICATED }, {
    'www-authenticate': `Bearer realm="commerce-graph", error="invalid_token", error_description="${description}"`,
  });
}
