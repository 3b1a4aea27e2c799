import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Once closing, how long a connection may hold the drain without an answer under way: a stalled request, a silent WebSocket peer. */
const DRAIN_STALLED_MS = 3_000;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RunningServer {
  server: Server;
  /** `http://host:port`, with the port the OS gave when 0 was asked for. */
  url: string;
  port: number;
  /**
   * Drains, and resolves once every connection has ended: stops accepting,
   * ends idle keep-alive connections at once, and answers every request already
   * taken in full (a busy keep-alive connection gets `Connection: close` on its
   * last answer and ends after it). Upgraded connections (WebSockets) count
   * too: their owner closes them. Begins the shutdown first. Safe to call twice.
   */
  close(): Promise<void>;
  /**
   * Shutdown has begun (`isShuttingDown()`: readiness answers 503): every
   * answer from now on says `Connection: close`, so keep-alive clients
   * reconnect, through the load balancer, elsewhere. New connections are still
   * accepted until `close`. Safe to call twice.
   */
  beginShutdown(): void;
  /** True once `beginShutdown` or `close` was called. */
  isShuttingDown(): boolean;
  /** The shutdown deadline: destroys every connection still open (upgraded ones too), so a pending `close` resolves. */
  destroyConnections(): void;
}

/**
 * Listens on `port` (0: any free port) and resolves once the server accepts
 * connections. A handler that throws gets a plain 500 (413 for a body over its
 * limit), and the error goes to `onError`.
 */
export async function listen(
  handler: RequestHandler,
  port: number,
  host = '127.0.0.1',
  onError: (err: unknown) => void = () => undefined,
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  // The newest answer on each connection: the one that may close it (answers on one connection go out in order).
  const newest = new Map<Socket, ServerResponse>();
  // Answers given `Connection: close` by the drain (not by a handler or the client).
  const closers = new WeakSet<ServerResponse>();
  let shuttingDown = false;
  let closing: Promise<void> | undefined;

  /**
   * Makes `res` the last answer on its connection; an earlier one not yet sent keeps the connection open
   * for it (without the header, Node keeps an HTTP/1.1 connection open, as it would have).
   */
  const closeAfter = (res: ServerResponse, previous: ServerResponse | undefined) => {
    if (previous && closers.has(previous) && !previous.headersSent) previous.removeHeader('connection');
    res.setHeader('connection', 'close');
    closers.add(res);
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const socket = req.socket;
    const previous = newest.get(socket);
    // A request pipelined behind an answer already sent with `Connection: close` can never be answered:
    // the connection ends after that one. Not run at all, so it is not taken and then dropped.
    if (previous && closers.has(previous) && previous.headersSent) return;
    newest.set(socket, res);
    res.once('close', () => {
      // A closer stays: its connection is ending, and whatever was pipelined behind it is not run.
      if (newest.get(socket) === res && !closers.has(res)) newest.delete(socket);
      // Its connection may be idle now: while closing, an idle connection ends at once.
      if (closing) server.closeIdleConnections();
    });
    if (shuttingDown) closeAfter(res, previous);
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (err instanceof BodyTooLargeError) {
        if (!res.headersSent) sendJson(res, 413, { error: 'payload_too_large', message: err.message }, { connection: 'close' });
        return;
      }
      onError(err);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal_error', message: 'Unexpected error.' });
      else res.destroy(err instanceof Error ? err : undefined);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      newest.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const beginShutdown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Answers under way that have not started yet close their connection; one already started
    // (sent keep-alive) leaves its connection idle after it, and `close` ends idle connections.
    for (const res of newest.values()) if (!res.headersSent && !res.writableEnded) closeAfter(res, undefined);
  };
  return {
    server,
    url: `http://${shownHost}:${actual}`,
    port: actual,
    beginShutdown,
    isShuttingDown: () => shuttingDown,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        beginShutdown();
        // Stops listening: connections not yet taken are refused by the OS, never half-served.
        server.close((err) => (err ? reject(err) : resolve()));
        // A connection with no request under way (not even part of one) ends now; Node counts a
        // request as under way from its first byte, so nothing it has begun to read is dropped.
        server.closeIdleConnections();
        // A connection still open after a grace with no answer under way holds a request its client
        // began and stalled (Node stops enforcing its header and request timeouts once closing), or
        // a WebSocket whose peer never answered the close: ended, since neither was ever taken.
        const stalled = setTimeout(() => {
          for (const socket of sockets) {
            const res = newest.get(socket);
            if (!res || res.writableEnded) socket.destroy();
          }
        }, DRAIN_STALLED_MS);
        server.once('close', () => clearTimeout(stalled));
      })),
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** A `content-type` header's media type alone (`application/json; charset=utf-8` → `application/json`); '' without one. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

/** Reads the whole body; a body over `limit` bytes throws BodyTooLargeError, which `listen` answers with 413. */
export function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  // Events rather than `for await`: the async iterator costs a promise per chunk, on every request.
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Torn down while the caller awaited something else (the client went): no event would ever come.
  if (req.destroyed) return Promise.reject(new Error('request closed before its body was read'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      // The rest is discarded as it comes, not kept, while the caller answers 413 (and closes the connection).
      req.resume();
      reject(new BodyTooLargeError(limit));
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    // Closed before its end was read (the listener goes with 'end'): the client went away mid-body.
    const onClose = () => {
      cleanup();
      reject(new Error('request closed before its body was read'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes.`);
  }
}
