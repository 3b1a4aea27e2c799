import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, mediaTypeOf, readBody, sendJson, type RequestHandler } from '../http/http-server.js';
import type { Logger } from '../logger.js';
import { ClientRegistryBusyError, type ClientRegistry, type OAuthClient } from './client-registry.js';

/** The path clients post token requests to. */
export const OAUTH_TOKEN_PATH = '/oauth/token';

/** What makes the access token once the endpoint has decided who gets which scopes (the gateway's signing keys). */
export interface TokenIssuer {
  issue(clientId: string, scopes: readonly string[]): { accessToken: string; expiresIn: number };
}

export interface TokenEndpointOptions {
  /** Who may ask for tokens, and for which scopes. */
  clients: ClientRegistry;
  /** Makes the token for an authenticated client and its granted scopes. */
  issuer: TokenIssuer;
  logger: Logger;
  /** The realm of `WWW-Authenticate` on `invalid_client`. @default 'commerce-graph' */
  realm?: string;
  /** Largest form accepted; larger ones get a 413. A token request is a few hundred bytes. @default 16384 */
  maxBodyBytes?: number;
}

/** The error codes of RFC 6749 §5.2 this endpoint answers with. */
export type TokenErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_scope';

/** A refusal: what the client is told, per RFC 6749 §5.2. */
class TokenError extends Error {
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const FORM = 'application/x-www-form-urlencoded';
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4).
 *
 * The client authenticates with HTTP Basic (§2.3.1: id and secret each
 * form-urlencoded, then `id:secret` in base64) or with `client_id` and
 * `client_secret` in the form, never both. `scope` is optional: without it
 * the client gets every scope it is allowed; with it, every scope asked for
 * must be allowed, or nothing is granted (`invalid_scope`) rather than a
 * quietly smaller token.
 *
 * The request is checked in this order, so the cheap refusals come before the
 * deliberately slow secret check: method, content type, body, repeated
 * parameters, both auth methods at once, `grant_type`, then the client, then
 * `scope`. Successes and refusals are never cached (§5.1).
 */
export function tokenEndpointRoute(options: TokenEndpointOptions): RequestHandler {
  const { clients, issuer, logger } = options;
  const realm = options.realm ?? 'commerce-graph';
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const challenge = `Basic realm="${realm.replace(/["\\]/g, '\\$&')}"`;

  const refuse = (res: ServerResponse, error: TokenError, extra: Record<string, string> = {}) => {
    const unauthorized = error.code === 'invalid_client';
    // §5.2 asks for the challenge when Basic was used; it is sent for body credentials too, so a client learns Basic works.
    const headers: Record<string, string> = { 'cache-control': 'no-store', pragma: 'no-cache', ...(unauthorized ? { 'www-authenticate': challenge } : {}), ...extra };
    sendJson(res, unauthorized ? 401 : 400, { error: error.code, error_description: error.message }, headers);
  };

  return async (req, res) => {
    if (req.method !== 'POST') {
      return sendJson(res, 405, { error: 'invalid_request', error_description: `${OAUTH_TOKEN_PATH} takes POST only.` }, { allow: 'POST', 'cache-control': 'no-store' });
    }
    const mediaType = mediaTypeOf(req.headers['content-type']);
    // Refused before the body is read: close the connection rather than read a body nobody wants.
    if (mediaType !== FORM) return refuse(res, new TokenError('invalid_request', `The body must be ${FORM}.`), { connection: 'close' });

    let raw: Buffer;
    try {
      raw = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      return sendJson(res, 413, { error: 'invalid_request', error_description: err.message }, { 'cache-control': 'no-store', connection: 'close' });
    }

    let client: OAuthClient | undefined;
    let granted: readonly string[];
    try {
      const form = parseForm(raw.toString('utf8'));
      const basic = basicCredentials(req);
      const inBody = form.has('client_id') || form.has('client_secret');
      if (basic && inBody) throw new TokenError('invalid_request', 'Authenticate with HTTP Basic or with client_id and client_secret, not both.');

      const grantType = form.get('grant_type');
      if (grantType === undefined) throw new TokenError('invalid_request', 'Missing grant_type.');
      if (grantType !== 'client_credentials') throw new TokenError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');

      const credentials = basic ?? bodyCredentials(form);
      let found: Awaited<ReturnType<typeof clients.authenticate>>;
      try {
        found = await clients.authenticate(credentials.id, credentials.secret);
      } catch (busy) {
        if (!(busy instanceof ClientRegistryBusyError)) throw busy;
        logger.warn('OAuth token requests refused: too many at once');
        return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'Too many token requests at once; retry shortly.' }, { 'retry-after': '1', 'cache-control': 'no-store', pragma: 'no-cache' });
      }
      if (!found) throw new TokenError('invalid_client', 'Unknown client or wrong secret.');
      client = found;
      granted = grantedScopes(client, form.get('scope'));
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      // Only an authenticated client's id is logged: an unknown "id" may be a secret pasted in the wrong field.
      logger.info({ error: err.code, clientId: client?.id }, 'OAuth token request refused');
      return refuse(res, err);
    }

    const { accessToken, expiresIn } = issuer.issue(client.id, granted);
    logger.info({ clientId: client.id, scopes: granted, expiresIn }, 'OAuth token issued');
    sendJson(
      res,
      200,
      { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope: granted.join(' ') },
      { 'cache-control': 'no-store', pragma: 'no-cache' },
    );
  };
}

/** The form's parameters; one given twice is refused (§3.2) and one without a value counts as absent (§3.1). */
function parseForm(body: string): Map<string, string> {
  const form = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) throw new TokenError('invalid_request', `Parameter ${name} is given more than once.`);
    seen.add(name);
    if (value !== '') form.set(name, value);
  }
  return form;
}

interface Credentials {
  id: string;
  secret: string;
}

/** The credentials of an `Authorization: Basic` header; undefined without the header; invalid_client for any other scheme or a malformed one. */
function basicCredentials(req: IncomingMessage): Credentials | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) throw new TokenError('invalid_client', 'The Authorization header must be HTTP Basic with base64 credentials.');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new TokenError('invalid_client', 'The Basic credentials must be client_id:client_secret.');
  try {
    // §2.3.1: each half was form-urlencoded before being joined, so a colon in the id survives.
    const id = formDecode(decoded.slice(0, colon));
    const secret = formDecode(decoded.slice(colon + 1));
    if (id === '') throw new TokenError('invalid_client', 'The Basic credentials have an empty client_id.');
    return { id, secret };
  } catch (err) {
    if (err instanceof TokenError) throw err;
    throw new TokenError('invalid_client', 'The Basic credentials are not form-urlencoded.');
  }
}

const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));

function bodyCredentials(form: Map<string, string>): Credentials {
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (id === undefined) throw new TokenError('invalid_client', 'No client authentication: use HTTP Basic or client_id and client_secret.');
  if (secret === undefined) throw new TokenError('invalid_client', 'Missing client_secret.');
  return { id, secret };
}

/** The scopes to grant: all the client's when none are asked for, else exactly those asked for, each of which must be the client's. */
function grantedScopes(client: OAuthClient, scope: string | undefined): readonly string[] {
  if (scope === undefined) return client.scopes;
  const asked = scope.split(' ');
  if (asked.some((s) => !SCOPE_TOKEN.test(s))) throw new TokenError('invalid_scope', 'scope must be scope tokens separated by single spaces.');
  const refused = asked.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0) throw new TokenError('invalid_scope', `Not allowed for this client: ${[...new Set(refused)].join(' ')}.`);
  return [...new Set(asked)];
}
