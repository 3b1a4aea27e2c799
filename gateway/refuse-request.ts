import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestIdOf } from '../lib/graphql/graphql-http-handler.js';
import { sendJson } from '../lib/http/http-server.js';

/**
 * Answers a request the gateway refuses before any GraphQL runs (a bad token,
 * a rate limit): the status, one error with its stable code and the request
 * id, in the media type the client accepts, never cached.
 */
export function refuseRequest(req: IncomingMessage, res: ServerResponse, status: number, error: { message: string; code: string }, headers: Record<string, string> = {}): void {
  const requestId = requestIdOf(req);
  const graphqlResponse = (req.headers.accept ?? '').includes('application/graphql-response+json');
  sendJson(res, status, { errors: [{ message: error.message, extensions: { code: error.code, requestId } }] }, {
    ...(graphqlResponse ? { 'content-type': 'application/graphql-response+json; charset=utf-8' } : {}),
    'cache-control': 'no-store',
    [REQUEST_ID_HEADER]: requestId,
    ...headers,
  });
}
