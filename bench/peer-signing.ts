import { readFileSync } from 'node:fs';
import { ANONYMOUS, type Principal } from '../lib/auth/claims.js';
import { signGatewayRequest } from '../lib/auth/gateway-signature.js';
import { supergraphPath } from '../lib/project-root.js';
import { withoutSecurityFeatures } from '../gateway/authorization/security-features.js';
import type { PeerParams } from './gateway-speed-protocol.js';

/**
 * The supergraph the peer gateways load: ours, without the `@requiresScopes` /
 * `@authenticated` features they cannot load (our gateway hands its planner the
 * same). Its `@join__graph(url:)`s are the composed defaults; each peer points
 * them at this run's subgraphs its own way.
 */
export function peerSupergraphSdl(): string {
  return withoutSecurityFeatures(readFileSync(supergraphPath(), 'utf8'));
}

/**
 * Whom a peer vouches for: it cannot verify our bearer tokens, so a request
 * with any `authorization` header is signed as the fixed principal of the
 * run's partner token, one without as anonymous.
 */
export function principalOf(params: PeerParams, authorization: string | null | undefined): Principal {
  return authorization ? params.principalWithToken : ANONYMOUS;
}

/** The subgraph signature headers for a POST of exactly `body` to `url`, as our gateway sends them. */
export function signatureHeaders(params: PeerParams, url: string, body: string, principal: Principal): Record<string, string> {
  const { pathname, search } = new URL(url);
  return signGatewayRequest(params.signingSecret, { method: 'POST', target: `${pathname}${search}`, body }, principal);
}

/** A request's body as a string: peers send strings (JSON they serialized); anything else cannot be signed here. */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  throw new Error(`Cannot sign a subgraph request whose body is a ${Object.prototype.toString.call(body)}`);
}
