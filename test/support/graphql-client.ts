export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

/** POSTs one operation as a client would (to a gateway's or a subgraph's `/graphql`), and returns status, headers and the parsed body. */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<T>['body'] };
}

/** The answer's body to one operation on the `/graphql` of a server started in the test (a subgraph on port 0, say). */
export async function queryServer<T = Record<string, any>>(server: { url: string }, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>['body']> {
  return (await graphql<T>(`${server.url}/graphql`, query, variables)).body;
}
