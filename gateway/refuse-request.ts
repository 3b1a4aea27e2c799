import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, errorMediaType, requestIdOf } from '../lib/graphql/graphql-http-handler.js';
import { sendJson } from '../lib/http/http-server.js';

/**
 * Answers a request the gateway refuses before any GraphQL runs (a bad token,
 * a rate limit): the status, one error with its stable code and the request
 * id, in the media type the client accepts, never cached.
 */
export function refuseRequest(req: IncomingMessage, res: ServerResponse, status: number, error: { message: string; code: string }, headers: Record<string, string> = {}): void {
  const requestId = requestIdOf(req);
  sendJson(res, status, { errors: [{ message: error.message, extensions: { code: error.code, requestId } }] }, {
    'content-type': errorMediaType(req),
    'cache-control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
    ...headers,
  });
}
