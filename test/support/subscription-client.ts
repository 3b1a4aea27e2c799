import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription<T> {
  /** Results so far, in arrival order. */
  readonly results: Array<FormattedExecutionResult<T, unknown>>;
  /** Resolves with the first `count` results (waiting for them as they arrive). */
  take(count: number): Promise<Array<FormattedExecutionResult<T, unknown>>>;
  /** Resolves once the server acknowledged the connection (after connection_init). */
  connected: Promise<void>;
  /** Settles when the subscription ends: resolves on complete, rejects with the server's error or close event. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * One graphql-ws client with one subscription, as a POS terminal has: results
 * are collected as they arrive and awaited by count, never by time.
 */
export function subscribe<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, unknown> = {},
): Subscription<T> {
  const results: Array<FormattedExecutionResult<T, unknown>> = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // Reported through `ended` instead of graphql-ws's default console.error.
    onNonLazyError: () => undefined,
    on: { connected: () => onConnected() },
  });
  let failEnded!: (err: unknown) => void;
  const ended = new Promise<void>((resolve, reject) => {
    failEnded = reject;
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          for (const w of waiters.filter((w) => results.length >= w.count)) w.resolve();
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  // Observed here: a test that does not await `ended` must not see an unhandled rejection.
  ended.catch(() => undefined);
  client.on('closed', (event) => failEnded(event));
  return {
    results,
    connected,
    ended,
    take: (count) =>
      results.length >= count
        ? Promise.resolve(results.slice(0, count))
        : Promise.race([
            new Promise<Array<FormattedExecutionResult<T, unknown>>>((resolve) => waiters.push({ count, resolve: () => resolve(results.slice(0, count)) })),
            ended.then(
              () => {
                throw new Error(`The subscription completed after ${results.length} of ${count} results.`);
              },
              (err: unknown) => {
                throw new Error(`The subscription ended after ${results.length} of ${count} results: ${describe(err)}`);
              },
            ),
          ]),
    close: () => client.dispose() as Promise<void>,
  };
}

function describe(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) return `close ${(err as { code: number; reason?: string }).code} ${(err as { reason?: string }).reason ?? ''}`;
  return Array.isArray(err) ? JSON.stringify(err) : String(err);
}
