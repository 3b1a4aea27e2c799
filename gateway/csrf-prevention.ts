import type { IncomingHttpHeaders } from 'node:http';
import { mediaTypeOf } from '../lib/http/http-server.js';

/**
 * Headers a browser sends cross-origin only after a CORS preflight, which
 * this gateway never grants: any one of them, non-empty, shows the request
 * was not forged by another site. `graphql-preflight` is ours; the other two
 * are what Apollo clients and Apollo Server use, so those clients work as they are.
 */
const PREFLIGHT_HEADERS = ['graphql-preflight', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;

/** Content types an HTML form (or `fetch` in `no-cors` mode) may send without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * Apollo Server's CSRF prevention: true when a browser on another site could
 * have sent this request without a preflight (a GET from an `<img>` or a
 * link, a form POST), so it might ride on the victim's network position (an
 * intranet, an IP allowlist) and must not run. Such a request has no content
 * type, or a simple one, and no preflight header; anything with
 * `content-type: application/json` was preflighted and is fine, whatever its method.
 */
export function isCsrfSuspect(headers: IncomingHttpHeaders): boolean {
  const contentType = headers['content-type'];
  if (contentType !== undefined) {
    // An empty or unparsable type is not one browsers send unpreflighted.
    if (!SIMPLE_CONTENT_TYPES.has(mediaTypeOf(contentType))) return false;
  }
  return !PREFLIGHT_HEADERS.some((name) => {
    const value = headers[name];
    return typeof value === 'string' ? value.length > 0 : Array.isArray(value) && value.some((v) => v.length > 0);
  });
}

/** What a refused request is told: how to send it so that it is served. */
export const CSRF_MESSAGE = `This request was refused as a possible cross-site request forgery: send it with content-type application/json, or with a non-empty ${PREFLIGHT_HEADERS.join(', ')} header.`;
