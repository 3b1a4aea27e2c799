import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthClaims } from '../../lib/auth/claims.js';
import { InvalidTokenError, type TokenVerifier } from '../../lib/auth/token-verifier.js';
import { ErrorCode } from '../../lib/errors.js';

/** A request's caller: anonymous (no token), or the verified claims; a bad token is an error. */
export type Caller = { claims?: AuthClaims } | { invalid: InvalidTokenError };

/** The token of `Authorization: Bearer <token>`; undefined without the header; a header of another shape is a bad token. */
export function bearerTokenOf(authorization: string | undefined): string | undefined | InvalidTokenError {
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
    throw err;
  }
}

/** RFC 6750 §3.1: 401 with `WWW-Authenticate: Bearer error="invalid_token"`, and a GraphQL error with code UNAUTHENTICATED. */
export function refuseToken(req: IncomingMessage, res: ServerResponse, error: InvalidTokenError, requestId: string): void {
  const description = error.message.replace(/["\\]/g, '');
  const graphqlResponse = (req.headers.accept ?? '').includes('application/graphql-response+json');
  res.writeHead(401, {
    'content-type': graphqlResponse ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
    'www-authenticate': `Bearer realm="commerce-graph", error="invalid_token", error_description="${description}"`,
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify({ errors: [{ message: `Invalid bearer token: ${error.message}.`, extensions: { code: ErrorCode.UNAUTHENTICATED, requestId } }] }));
}
