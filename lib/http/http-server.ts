import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RunningServer {
  server: Server;
  /** `http://host:port`, with the port the OS gave when 0 was asked for. */
  url: string;
  port: number;
  /** Stops accepting, ends idle keep-alive sockets, and resolves once the server is closed; safe to call twice. */
  close(): Promise<void>;
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
  const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${shownHost}:${actual}`,
    port: actual,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      })),
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
export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes.`);
  }
}
