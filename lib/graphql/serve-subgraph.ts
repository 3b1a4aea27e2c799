import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { listen, sendJson, type RunningServer } from '../http/http-server.js';
import type { UpstreamClient } from '../http/upstream-client.js';
import type { Logger } from '../logger.js';
import { METRICS_PATH, metricsRoute } from '../observability/metrics-route.js';
import { createGraphQLHttpHandler, type BaseContext } from './graphql-http-handler.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface SubgraphServerOptions<C extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  context: (base: BaseContext) => C | Promise<C>;
  logger: Logger;
  port: number;
  host?: string;
  /**
   * `GATEWAY_SIGNING_SECRET`: `/graphql` serves only requests the gateway signed
   * with it (401 `UNAUTHENTICATED` otherwise), under the principal it vouched
   * for. `/healthz`, `/readyz` and the extra routes are not affected.
   */
  gatewaySigningSecret: string;
  /** Answers `/readyz`: false while a dependency (database, first load) is not ready (503 `starting`); once shutdown has begun it is 503 `stopping` whatever this says. @default always ready */
  ready?: () => boolean | Promise<boolean>;
  /** The systems it calls while serving, whose circuit breakers `/readyz` reports (an open one does not make it unready: cached or partial data is still served). @default none */
  upstreams?: Readonly<Record<string, Pick<UpstreamClient, 'circuit'>>>;
  /** More routes by exact path, e.g. a webhook receiver. */
  routes?: Record<string, Route>;
  /** Runs after the server has drained (every request taken was answered): close upstream clients, databases. */
  onClose?: () => void | Promise<void>;
}

/** One subgraph on one port: `/graphql` (GET and POST, signed by the gateway), `/healthz`, `/readyz`, `/metrics`, and any extra routes. */
export async function serveSubgraph<C extends BaseContext>(options: SubgraphServerOptions<C>): Promise<RunningServer> {
  // Subgraphs trust only the gateway: a direct call, without its signature, is refused.
  const graphql = createGraphQLHttpHandler({
    service: options.name,
    schema: options.schema,
    context: options.context,
    logger: options.logger,
    gatewaySignature: { secret: options.gatewaySigningSecret },
  });
  const routes: Record<string, Route> = {
    '/graphql': graphql,
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok', service: options.name }),
    '/readyz': async (_req, res) => {
      // Shutting down: out of rotation at once, whatever its dependencies say (it still answers what it is sent).
      if (server.isShuttingDown()) return sendJson(res, 503, { status: 'stopping', service: options.name });
      const ready = options.ready ? await options.ready() : true;
      const upstreams = options.upstreams && Object.fromEntries(Object.entries(options.upstreams).map(([system, client]) => [system, client.circuit()]));
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'starting', service: options.name, ...(upstreams ? { upstreams } : {}) });
    },
    [METRICS_PATH]: metricsRoute(),
    ...options.routes,
  };
  const server = await listen(
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const route = routes[path];
      if (route) return route(req, res);
      sendJson(res, 404, { error: 'not_found', message: `No route ${path}` });
    },
    options.port,
    options.host,
    (err) => options.logger.error({ err }, 'request failed'),
  );
  options.logger.info({ url: `${server.url}/graphql` }, `${options.name} subgraph listening`);
  let closing: Promise<void> | undefined;
  return {
    ...server,
    close: () =>
      (closing ??= (async () => {
        try {
          await server.close();
        } finally {
          await options.onClose?.();
        }
      })()),
  };
}
