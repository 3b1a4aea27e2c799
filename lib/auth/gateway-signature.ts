import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { hexMacEquals, hmacSha256Hex } from '../http/hmac.js';
import type { Principal } from './claims.js';

/**
 * Gateway → subgraph request signatures. Subgraphs trust only the gateway: it
 * verifies the caller's bearer token, then vouches for the caller on every
 * subgraph request it sends, with an HMAC-SHA256 over the request and the
 * principal under a secret the gateway and the subgraphs share
 * (`GATEWAY_SIGNING_SECRET`). A subgraph refuses a request that does not carry
 * one, so calling a subgraph directly grants nothing.
 */

/** The principal the gateway vouches for: base64url of its JSON. */
export const GATEWAY_PRINCIPAL_HEADER = 'x-gateway-principal';
/** `t=<unix ms>,v1=<hex HMAC-SHA256>`. */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';

/** A signature stamped further than this from the subgraph's clock is refused, so a captured request cannot be replayed later. */
const DEFAULT_GATEWAY_SIGNATURE_TOLERANCE_MS = 60_000;

/** What is signed of one HTTP request: its method, its target (path and query, as sent) and its exact body (`''` for a GET). */
export interface SignedRequest {
  method: string;
  target: string;
  body: string;
}

/** A request the gateway did not vouch for: missing, malformed or forged headers, or stamped outside the tolerance. */
export class GatewaySignatureError extends Error {
  override name = 'GatewaySignatureError';
}

/** Unknown keys are dropped, not refused: a gateway one version ahead (a rolling deploy) still gets through, with only what this version reads. */
const principalSchema = z.object({
  authenticated: z.boolean(),
  subject: z.string().optional(),
  issuer: z.string().optional(),
  scopes: z.array(z.string()),
});

/**
 * Every part is on its own line and in a fixed order, and the principal is
 * signed as the header carries it (not re-serialized), so a byte changed
 * anywhere changes the MAC; the body comes last, as it may hold newlines.
 */
const macHex = (secret: string, timestamp: string, request: SignedRequest, principalHeader: string): string =>
  hmacSha256Hex(secret, `${timestamp}\n${request.method.toUpperCase()}\n${request.target}\n${principalHeader}\n`, request.body);

const principalHeaders = new WeakMap<Principal, string>();

/** The principal as its header carries it, encoded once per principal: every fetch of one query plan sends the same one. */
function principalHeaderOf(principal: Principal): string {
  let header = principalHeaders.get(principal);
  if (header === undefined) {
    // Only the fields authorisation reads: nothing else of the token travels to the subgraphs.
    const vouched: Principal = {
      authenticated: principal.authenticated,
      ...(principal.subject !== undefined ? { subject: principal.subject } : {}),
      ...(principal.issuer !== undefined ? { issuer: principal.issuer } : {}),
      scopes: principal.scopes,
    };
    header = Buffer.from(JSON.stringify(vouched), 'utf8').toString('base64url');
    principalHeaders.set(principal, header);
  }
  return header;
}

/** Headers that vouch for `principal` on this one request (its method, target and body as they will be sent). */
export function signGatewayRequest(secret: string, request: SignedRequest, principal: Principal, now: number = Date.now()): Record<string, string> {
  const principalHeader = principalHeaderOf(principal);
  const timestamp = String(Math.floor(now));
  return {
    [GATEWAY_PRINCIPAL_HEADER]: principalHeader,
    [GATEWAY_SIGNATURE_HEADER]: `t=${timestamp},v1=${macHex(secret, timestamp, request, principalHeader)}`,
  };
}

export interface VerifyGatewayRequestOptions {
  /** How far the signature's timestamp may be from `now`, either way. @default 60000 */
  toleranceMs?: number;
  /** The subgraph's clock, in unix ms. @default Date.now() */
  now?: number;
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? undefined : value);

/**
 * The principal the gateway vouched for on this request, or a
 * `GatewaySignatureError` (missing, malformed, bad MAC, outside the
 * tolerance). The MAC is compared in constant time and checked before the
 * timestamp and the principal are believed, so an unsigned caller learns
 * nothing about either.
 */
export function verifyGatewayRequest(
  secret: string,
  request: SignedRequest & { headers: IncomingHttpHeaders },
  options: VerifyGatewayRequestOptions = {},
): Principal {
  const principalHeader = single(request.headers[GATEWAY_PRINCIPAL_HEADER]);
  const signature = single(request.headers[GATEWAY_SIGNATURE_HEADER]);
  if (!principalHeader || !signature) throw new GatewaySignatureError('No gateway signature.');
  const parts = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/.exec(signature);
  if (!parts) throw new GatewaySignatureError('Malformed gateway signature.');
  const [, timestamp, hex] = parts as unknown as [string, string, string];
  if (!hexMacEquals(hex, macHex(secret, timestamp, request, principalHeader))) throw new GatewaySignatureError('Gateway signature does not match.');
  const now = options.now ?? Date.now();
  if (Math.abs(now - Number(timestamp)) > (options.toleranceMs ?? DEFAULT_GATEWAY_SIGNATURE_TOLERANCE_MS)) {
    throw new GatewaySignatureError('Gateway signature is outside the time tolerance.');
  }
  // Signed by the gateway, so malformed only if the gateway has a bug; refused all the same.
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(principalHeader, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw new GatewaySignatureError('Malformed gateway principal.');
  }
  const parsed = principalSchema.safeParse(decoded);
  if (!parsed.success) throw new GatewaySignatureError('Malformed gateway principal.');
  return parsed.data;
}
