import type { Principal } from '../../lib/auth/claims.js';
import type { TokenVerifier } from '../../lib/auth/token-verifier.js';
import type { TakeResult } from '../../lib/limits/token-bucket.js';
import { rateLimitedCaller, retryAfterSeconds, type RateLimitedCaller } from '../auth/rate-limit.js';
import type { AuthorizedOperation } from '../authorization/authorize-operation.js';
import type { OperationAuthorizer } from '../authorization/authorizer.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, maskError, maskResult } from '../../lib/errors.js';
import type { DocumentCache } from '../../lib/graphql/document-cache.js';
import type { PersistedDocuments } from '../../lib/graphql/persisted-documents.js';
import { prepareOperation, refusal } from '../../lib/graphql/prepare-operation.js';
import { withStaleNotices } from '../../lib/graphql/stale-notice.js';
import { observeOperation, outcomeOf } from '../../lib/observability/observe-operation.js';
import type { Logger } from '../../lib/logger.js';
import type { GatewayContext } from '../gateway-context.js';
import { CloseCode } from './close-codes.js';
import { ConnectionBudget } from './connection-budget.js';
import { judgeConnection } from './connection-auth.js';
import { createSelectionPlan, selectionKey } from './selection-plan.js';
import { filterFrom, type StockChangeFilter } from './stock-change-filter.js';
import type { StockChangeHub, SubscriberSink } from './stock-change-hub.js';
import { analyseStockChanged, type StockChangedOperation } from './stock-changed-operation.js';
import { SubscriptionStream } from './subscription-stream.js';

export interface SubscriptionServerOptions {
  /** The gateway's HTTP server: WebSockets share its port. */
  httpServer: Server;
  /** Where WebSocket upgrades are accepted. @default '/graphql' */
  path?: string;
  /** The public API schema. */
  schema: GraphQLSchema;
  documents: DocumentCache;
  hub: StockChangeHub;
  /** Queries and mutations sent over the socket run through the gateway's planner like HTTP ones. */
  execute: (args: ExecutionArgs) => Promise<ExecutionResult>;
  logger: Logger;
  /** Operations estimated costlier than this are refused. @default no limit */
  maxCost?: number;
  /**
   * Trusted documents and automatic persisted queries, as over HTTP: a
   * `subscribe` payload may name its document by hash (`extensions.persistedQuery`
   * or `documentId`, with `query: ""`, which graphql-ws insists on).
   * @default every payload runs the query it sent
   */
  persistedDocuments?: PersistedDocuments;
  /** Decides what each subscription may read (queries and mutations are authorised inside `execute`). */
  authorizer: OperationAuthorizer;
  /** Takes one token from the caller's rate-limit bucket per operation sent over the socket, as HTTP does per request. @default no limit */
  rateLimit?: (caller: RateLimitedCaller) => Promise<TakeResult>;
  /** Checks the bearer token a connection brings in `connection_init`. */
  verifier: TokenVerifier;
  /** Messages one connection may have waiting before it is closed with 4413. @default 1000 */
  queueLimit?: number;
  /** How long a product or location fetched for one payload is reused for the next changes of its SKU or location (0: never). @default 0 */
  referenceReuseMs?: number;
  /** Deadline of a query or mutation sent over the socket, as over HTTP (`GATEWAY_REQUEST_TIMEOUT_MS`); 0: none. @default 0 */
  requestTimeoutMs?: number;
  /** Largest message a client may send, in bytes. @default 1048576 */
  maxPayloadBytes?: number;
  /** Ping interval; a client that does not pong within it is dropped. @default 12000 */
  keepAliveMs?: number;
}

export interface RunningSubscriptionServer {
  /** Open WebSocket connections. */
  connections(): number;
  /** Closes every connection with 1001 (clients reconnect elsewhere and resume with `after`). */
  close(): Promise<void>;
}

/** What the gateway keeps per accepted connection. */
interface ConnectionState {
  connectionId: string;
  principal: Principal;
  budget: ConnectionBudget;
}

/** What onSubscribe works out for a `stockChanged` operation, carried to `subscribe`. */
interface PreparedSubscription {
  operation: StockChangedOperation;
  filter: StockChangeFilter;
  after?: string;
  variables: Record<string, unknown>;
  /** Fields under the subscription the caller may not read: null with FORBIDDEN in every payload. */
  authorized?: Pick<AuthorizedOperation, 'removed' | 'placeholderKey'>;
  budget: ConnectionBudget;
  socket: WebSocket;
  /** The graphql-ws subscription id: every `next` message names it. */
  id: string;
}

interface WsContext extends GatewayContext {
  subscription?: PreparedSubscription;
}

/** Node's timers wait at most 2^31 - 1 ms (about 24.8 days); a longer wait would fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Runs `run` at `when` (an IdP's token may live months: longer waits are made of shorter ones); returns the cancel. */
function atTime(when: Date, run: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = when.getTime() - Date.now();
    timer = wait > LONGEST_TIMER_MS ? setTimeout(arm, LONGEST_TIMER_MS) : setTimeout(run, Math.max(0, wait));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** A ledger event id as the API prints it: no sign, no leading zeros (ids compare by length first). */
const EVENT_ID = /^(0|[1-9]\d{0,18})$/;

/**
 * GraphQL over WebSocket (graphql-ws's `graphql-transport-ws` protocol) on the
 * gateway's own port. `stockChanged` is served from the stock change hub;
 * queries and mutations go through the query planner. Everything a client
 * sends is parsed, validated and coerced here, once per document.
 */
export function attachSubscriptionServer(options: SubscriptionServerOptions): RunningSubscriptionServer {
  const { schema, documents, hub, logger } = options;
  const requestTimeoutMs = options.requestTimeoutMs ?? 0;
  const path = options.path ?? '/graphql';
  const queueLimit = options.queueLimit ?? 1_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  const logUnexpected = (err: unknown, requestId: string) => logger.error({ err, requestId }, 'unexpected error');

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '/').split('?')[0] !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  options.httpServer.on('upgrade', onUpgrade);

  const accepted = new WeakMap<WebSocket, ConnectionState>();
  // graphql-ws calls onSubscribe only after onConnect accepted the connection.
  const stateOf = (ctx: Context<Record<string, unknown>, { socket: WebSocket }>) => accepted.get(ctx.extra.socket) as ConnectionState;
  const requestIdOf = (ctx: Context<Record<string, unknown>, { socket: WebSocket }>, id: string) => `${stateOf(ctx)?.connectionId ?? 'unaccepted'}/${id}`;

  const server = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        const verdict = await judgeConnection(ctx.connectionParams, options.verifier);
        if (!verdict.accepted) {
          ctx.extra.socket.close(verdict.code, verdict.reason);
          return false;
        }
        const socket = ctx.extra.socket;
        const connectionId = randomUUID();
        const budget = new ConnectionBudget(queueLimit, () => {
          logger.warn({ connectionId, limit: queueLimit }, 'slow WebSocket consumer closed');
          socket.close(CloseCode.SlowConsumer, `More than ${queueLimit} messages waited; resubscribe with after: the last eventId`);
        });
        accepted.set(socket, { connectionId, principal: verdict.principal, budget });
        if (verdict.expiresAt) {
          // A connection lives no longer than its token: the client reconnects with a fresh one and resumes with `after`.
          const cancel = atTime(verdict.expiresAt, () => socket.close(CloseCode.Forbidden, 'Token expired'));
          socket.once('close', cancel);
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = stateOf(ctx);
        const requestId = requestIdOf(ctx, id);
        const refuse = (errors: readonly GraphQLError[], code: string) => refusal(errors, code, requestId);
        if (options.rateLimit) {
          const verdict = await options.rateLimit(rateLimitedCaller(ctx.extra.request, state.principal));
          if (!verdict.allowed) {
            const seconds = retryAfterSeconds(verdict);
            return refuse([new GraphQLError(`Too many requests: retry after ${seconds} s.`, { extensions: { retryAfterSeconds: seconds } })], ErrorCode.RATE_LIMITED);
          }
        }
        let query = payload.query;
        if (options.persistedDocuments) {
          const resolution = await options.persistedDocuments.resolve(payload, state.principal);
          if ('refused' in resolution) return refuse([resolution.refused], ErrorCode.BAD_REQUEST);
          query = resolution.query ?? query;
        }
        const prepared = prepareOperation(schema, documents, { ...payload, query }, requestId, { maxCost: options.maxCost });
        if (Array.isArray(prepared)) return prepared;
        const { operation, variables } = prepared;
        const contextValue: WsContext = { requestId, req: ctx.extra.request, principal: state.principal, stale: [], ...(requestTimeoutMs > 0 ? { deadlineAt: performance.now() + requestTimeoutMs } : {}) };
        // Queries and mutations are authorised by the executor, as over HTTP.
        const args: ExecutionArgs = { schema, document: prepared.document, operationName: payload.operationName, variableValues: payload.variables ?? {}, contextValue };
        if (operation.operation !== 'subscription') return args;

        // Checked per subscription: without the subscription field's scopes there is nothing to stream.
        const authorized = options.authorizer.authorize(prepared.document, payload.operationName, state.principal);
        const refusedRoot = [...(authorized.removed ?? [])].find(([, node]) => node.denied);
        if (refusedRoot?.[1].denied) return refuse([new GraphQLError(refusedRoot[1].denied.message)], ErrorCode.FORBIDDEN);
        const document = authorized.document;
        const stockChanged = analyseStockChanged(document, payload.operationName);
        if (stockChanged instanceof GraphQLError) return refuse([stockChanged], ErrorCode.BAD_REQUEST);
        const fieldDef = schema.getSubscriptionType()?.getFields()[stockChanged.rootField.name.value];
        if (!fieldDef) return refuse([new GraphQLError('The schema has no stockChanged subscription.')], ErrorCode.BAD_REQUEST);
        const fieldArgs = getArgumentValues(fieldDef, stockChanged.rootField, variables) as {
          skus?: string[] | null;
          locationIds?: string[] | null;
          after?: string | null;
        };
        if (fieldArgs.after != null && !EVENT_ID.test(fieldArgs.after)) {
          return refuse([new GraphQLError('`after` must be an eventId received from stockChanged.')], ErrorCode.BAD_USER_INPUT);
        }
        contextValue.subscription = {
          operation: stockChanged,
          filter: filterFrom(fieldArgs),
          ...(fieldArgs.after != null ? { after: fieldArgs.after } : {}),
          variables,
          ...(authorized.removed ? { authorized } : {}),
          budget: state.budget,
          socket: ctx.extra.socket,
          id,
        };
        return args;
      },
      subscribe: (args) => {
        const { principal, subscription } = args.contextValue as WsContext;
        const prepared = subscription as PreparedSubscription;
        const { operation, variables, budget, socket, id, authorized } = prepared;
        const plan = hub.planFor(selectionKey(operation, variables, principal), () =>
          createSelectionPlan(
            { schema, executeQuery: options.execute, referenceReuseMs: options.referenceReuseMs ?? 0, logger, ...(authorized ? { authorized } : {}) },
            operation,
            variables,
            principal,
          ),
        );
        // The graphql-ws `next` message around a payload serialised once for everyone who shares it.
        const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
        const sink: SubscriberSink = {
          send: (payloadJson) => {
            if (socket.readyState !== socket.OPEN) return false;
            budget.add();
            socket.send(`${prefix}${payloadJson}}`, budget.sent);
            return true;
          },
        };
        let unsubscribe: () => void = () => undefined;
        const stream = new SubscriptionStream(budget, () => unsubscribe());
        unsubscribe = hub.subscribe({ filter: prepared.filter, plan, sink, stream, budget, ...(prepared.after ? { after: prepared.after } : {}) });
        return stream;
      },
      // Queries and mutations over the socket are observed as over HTTP (no traceparent: the socket's upgrade carried none for them).
      execute: (args) => {
        const context = args.contextValue as WsContext;
        return observeOperation('gateway', context.requestId, {}, async (observation) => {
          const operation = getOperationAST(args.document, args.operationName);
          if (operation) observation.named(operation);
          const result = maskResult(await options.execute(args), context.requestId, logUnexpected);
          observation.outcome = outcomeOf(result);
          return withStaleNotices(result, context);
        });
      },
      // Errors from onSubscribe carry their code already; one thrown while iterating (a replay that cannot be served) is masked here.
      onError: (ctx, id, _payload, errors) => errors.map((e) => maskError(e, requestIdOf(ctx, id), logUnexpected)),
      onClose: (ctx) => {
        // Replays waiting for room give up; the queues were ended by graphql-ws.
        accepted.get(ctx.extra.socket)?.budget.abandon();
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  let closing: Promise<void> | undefined;
  return {
    connections: () => wss.clients.size,
    close: () =>
      (closing ??= (async () => {
        options.httpServer.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.close(CloseCode.GoingAway, 'Gateway shutting down');
        await server.dispose();
      })()),
  };
}
