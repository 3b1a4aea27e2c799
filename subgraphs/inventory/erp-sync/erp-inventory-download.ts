import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { Logger } from '../../../lib/logger.js';
import { erpNotJsonError, erpStatusError, erpTransportError, isRefusal, localDownloadError } from './erp-download-errors.js';

export interface ErpDownloadOptions {
  /** The ERP's base URL. */
  url: string;
  /** Its API token (Bearer). */
  token: string;
  /** Deadline of one attempt, headers and body. */
  attemptTimeoutMs: number;
  /** Waits before each retry (spec 002: 5 s, 15 s, 45 s): as many retries as entries. */
  retryDelaysMs: readonly number[];
  /**
   * The ERP's circuit breaker: the process's ERP upstream client, the one the
   * connector calls through. Each attempt goes through it, so an outage seen
   * anywhere refuses the download at once rather than spending an attempt's
   * deadline on it, and a download's failures count towards opening it.
   * @default none: every attempt calls the ERP
   */
  breaker?: Pick<UpstreamClient, 'guard'>;
  logger: Logger;
  /** How a wait between attempts is done (tests record them instead). @default setTimeout */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface DownloadResult {
  bytes: number;
  /** Time to the response's end over the successful attempt: the job's API latency. */
  latencyMs: number;
  attempts: number;
}

type DownloadHooks = { signal?: AbortSignal; onBytes?: (bytes: number, attempt: number) => void };

/**
 * Streams one warehouse's `GET /inventory` to a file, so a payload of any size
 * costs no memory. A GET is idempotent, so network errors, timeouts, 5xx,
 * 408 and 429 are retried after each of `retryDelaysMs`; any other 4xx is not
 * (it would fail the same way again). An attempt the open breaker refuses
 * fails at once and is retried on the same schedule: a later one may be the
 * breaker's trial call. `signal` (the job's timeout, shutdown) ends the
 * download and its waits, with the signal's reason.
 */
export async function downloadErpInventory(
  options: ErpDownloadOptions,
  query: { warehouseId: string; modifiedSince?: Date },
  toPath: string,
  hooks: DownloadHooks = {},
): Promise<DownloadResult> {
  const url = new URL('/inventory', options.url);
  url.searchParams.set('warehouse', query.warehouseId);
  if (query.modifiedSince) url.searchParams.set('modifiedSince', query.modifiedSince.toISOString());
  const attemptOnce = (attempt: number) => {
    const work = (headers: Record<string, string>) => attemptDownload(url, options, toPath, attempt, hooks, headers);
    return options.breaker ? options.breaker.guard('GET /inventory', work) : work({});
  };
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const bytes = await attemptOnce(attempt);
      return { bytes, latencyMs: performance.now() - started, attempts: attempt };
    } catch (err) {
      // Stopped from outside: why (the job's timeout, shutdown) matters more than how the request ended.
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? err;
      const delay = options.retryDelaysMs[attempt - 1];
      if (isRefusal(err) || delay === undefined) throw err;
      options.logger.warn({ err, attempt, retryInMs: delay, warehouseId: query.warehouseId }, 'ERP inventory download failed: retrying');
      await (options.wait ?? ((ms, signal) => sleep(ms, undefined, signal ? { signal } : {})))(delay, hooks.signal);
    }
  }
}

/**
 * One attempt. Throws GraphQLErrors coded as `upstreamError` codes them, so the
 * breaker counts only the ERP's outages: not a refusal, not our own disk, and
 * not a stop from outside (rethrown as it came).
 */
async function attemptDownload(
  url: URL,
  options: ErpDownloadOptions,
  toPath: string,
  attempt: number,
  hooks: DownloadHooks,
  traceHeaders: Record<string, string>,
): Promise<number> {
  const what = `GET ${url.pathname}${url.search}`;
  const deadline = AbortSignal.timeout(options.attemptTimeoutMs);
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, deadline]) : deadline;
  const transportError = (err: unknown) => {
    if (hooks.signal?.aborted) return err;
    return erpTransportError(err, what, deadline.aborted ? options.attemptTimeoutMs : undefined);
  };
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(url, {
      method: 'GET',
      headers: { ...traceHeaders, authorization: `Bearer ${options.token}`, accept: 'application/json' },
      signal,
    });
  } catch (err) {
    throw transportError(err);
  }
  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    const body = await response.body.text().then(
      (text) => text.slice(0, 300),
      () => '(body unreadable)',
    );
    throw erpStatusError(status, what, body);
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('json')) {
    await response.body.dump();
    throw erpNotJsonError(what, type);
  }
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hooks.onBytes?.(bytes, attempt);
      done(null, chunk);
    },
  });
  try {
    await pipeline(response.body, count, createWriteStream(toPath), { signal });
  } catch (err) {
    // The file failed (a full disk): ours, not the ERP's, and no reason to stop calling it.
    throw isFileError(err) ? localDownloadError(err) : transportError(err);
  }
  return bytes;
}

/** An error of the file system's (opening or writing the payload's file), not of the ERP's socket (which fails reading). */
const isFileError = (err: unknown): boolean => {
  const syscall = (err as { syscall?: unknown } | undefined)?.syscall;
  return syscall === 'open' || syscall === 'write';
};
