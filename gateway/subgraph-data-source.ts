import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, type Dispatcher } from 'undici';
import { ANONYMOUS } from '../lib/auth/claims.js';
import { signGatewayRequest } from '../lib/auth/gateway-signature.js';
import { ErrorCode } from '../lib/errors.js';
import { REQUEST_ID_HEADER } from '../lib/graphql/graphql-http-handler.js';
import type { GatewayContext } from './gateway-context.js';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** The keep-alive sockets the gateway holds to its subgraphs: its own (closable, unlike undici's global one). */
export function subgraphDispatcher(): Agent {
  return new Agent({ keepAliveTimeout: 30_000, connections: 128 });
}

/**
 * One subgraph as the gateway calls it: a JSON POST through undici's
 * `request` (far cheaper per call than `fetch`, which @apollo/gateway's
 * RemoteGraphQLDataSource goes through with a WHATWG Request per fetch),
 * with a deadline on every call, the request id forwarded, the caller vouched
 * for with the gateway's signature, and failures named after the subgraph. Never retried: a query plan may hold mutations, and
 * reads are already retried next to the systems of record.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly origin: string;
  private readonly path: string;

  constructor(
    readonly name: string,
    url: string,
    private readonly dispatcher: Dispatcher,
    private readonly options: {
      /** Deadline of one call, in ms. */
      timeoutMs: number;
      /** Signs each request for the principal of its context (subgraphs refuse unsigned calls). */
      signingSecret: string;
    },
  ) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<SubgraphResponse> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (context?.requestId) headers[REQUEST_ID_HEADER] = context.requestId;
    const { query, variables, operationName, extensions } = request;
    const body = JSON.stringify({ query, variables, operationName, extensions });
    // Health checks and the gateway's own fetches carry no request context: they run as nobody in particular.
    Object.assign(headers, signGatewayRequest(this.options.signingSecret, { method: 'POST', target: this.path, body }, context?.principal ?? ANONYMOUS));
    let status: number;
    let text: string;
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: this.path,
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw this.failure(error as Error);
    }
    if (status < 200 || status >= 300) throw this.failure(new Error(`${this.name} answered HTTP ${status}: ${text.slice(0, 200)}`));
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch (error) {
      throw this.failure(error as Error);
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw this.failure(new Error(`${this.name} answered a body that is not a JSON object`));
    return answer as SubgraphResponse;
  }

  private failure(error: Error): GraphQLError {
    const timedOut = error.name === 'TimeoutError' || error.name === 'AbortError';
    return new GraphQLError(timedOut ? `The ${this.name} service did not answer in time.` : `The ${this.name} service is unavailable.`, {
      extensions: { code: timedOut ? ErrorCode.SUBGRAPH_TIMEOUT : ErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: this.name },
      originalError: error,
    });
  }
}
