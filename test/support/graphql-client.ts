import type { Principal } from '../../lib/auth/claims.js';
import { FULL_ACCESS, gatewayHeaders, type SignAs } from './gateway-signing.js';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

async function post<T>(url: string, body: string, headers: Record<string, string>): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<T>['body'] };
}

/** POSTs any GraphQL-over-HTTP request body (persisted-query hashes, `documentId`, extensions) as a client would. */
export function postGraphql<T = Record<string, any>>(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
  return post<T>(url, JSON.stringify(body), headers);
}

/** POSTs one operation as a client would (to the gateway's `/graphql`; a subgraph refuses it unsigned), and returns status, headers and the parsed body. */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  return post<T>(url, JSON.stringify({ query, variables }), headers);
}

/** As `graphql`, but signed as the gateway signs its calls, for `as.principal` (every scope by default): for a subgraph's `/graphql`. */
export async function subgraphGraphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  as: SignAs = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify({ query, variables });
  return post<T>(url, body, { ...headers, ...gatewayHeaders(url, 'POST', body, as) });
}

/**
 * The answer's body to one operation on the `/graphql` of a subgraph started
 * in the test, signed with the test secret for `principal` (every scope by default).
 */
export async function queryServer<T = Record<string, any>>(
  server: { url: string },
  query: string,
  variables?: Record<string, unknown>,
  principal: Principal = FULL_ACCESS,
): Promise<GraphQLResponse<T>['body']> {
  return (await subgraphGraphql<T>(`${server.url}/graphql`, query, variables, { principal })).body;
}
