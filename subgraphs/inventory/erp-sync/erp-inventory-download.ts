import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { Logger } from '../../../lib/logger.js';

export interface ErpDownloadOptions {
  /** The ERP's base URL. */
  url: string;
  /** Its API token (Bearer). */
  token: string;
  /** Deadline of one attempt, headers and body. */
  attemptTimeoutMs: number;
  /** Waits before each retry (spec 002: 5 s, 15 s, 45 s): as many retries as entries. */
  retryDelaysMs: readonly number[];
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

/** An answer that must not be retried: the ERP refused the request itself. */
class ErpRefusal extends Error {}

/**
 * Streams one warehouse's `GET /inventory` to a file, so a payload of any size
 * costs no memory. A GET is idempotent, so network errors, timeouts, 5xx,
 * 408 and 429 are retried after each of `retryDelaysMs`; any other 4xx is not
 * (it would fail the same way again). `signal` (the job's timeout, shutdown)
 * ends the download and its waits.
 */
export async function downloadErpInventory(
  options: ErpDownloadOptions,
  query: { warehouseId: string; modifiedSince?: Date },
  toPath: string,
  hooks: { signal?: AbortSignal; onBytes?: (bytes: number, attempt: number) => void } = {},
): Promise<DownloadResult> {
  const url = new URL('/inventory', options.url);
  url.searchParams.set('warehouse', query.warehouseId);
  if (query.modifiedSince) url.searchParams.set('modifiedSince', query.modifiedSince.toISOString());
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    try {
      const bytes = await attemptDownload(url, options, toPath, attempt, hooks);
      return { bytes, latencyMs: performance.now() - started, attempts: attempt };
    } catch (err) {
      const delay = options.retryDelaysMs[attempt - 1];
      if (err instanceof ErpRefusal || delay === undefined || hooks.signal?.aborted) throw err;
      options.logger.warn({ err, attempt, retryInMs: delay, warehouseId: query.warehouseId }, 'ERP inventory download failed: retrying');
      await (options.wait ?? ((ms, signal) => sleep(ms, undefined, signal ? { signal } : {})))(delay, hooks.signal);
    }
  }
}

async function attemptDownload(
  url: URL,
  options: ErpDownloadOptions,
  toPath: string,
  attempt: number,
  hooks: { signal?: AbortSignal; onBytes?: (bytes: number, attempt: number) => void },
): Promise<number> {
  const deadline = AbortSignal.timeout(options.attemptTimeoutMs);
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, deadline]) : deadline;
  const response = await request(url, {
    method: 'GET',
    headers: { authorization: `Bearer ${options.token}`, accept: 'application/json' },
    signal,
  });
  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    const body = (await response.body.text()).slice(0, 300);
    const message = `The ERP answered ${status} to GET ${url.pathname}${url.search}: ${body}`;
    throw status >= 500 || status === 408 || status === 429 ? new Error(message) : new ErpRefusal(message);
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!type.includes('json')) {
    // A login page or a proxy's error page answered 200: not the inventory, and likely gone on a retry.
    await response.body.dump();
    throw new Error(`The ERP answered GET ${url.pathname}${url.search} with ${type || 'no content type'}, not JSON.`);
  }
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hooks.onBytes?.(bytes, attempt);
      done(null, chunk);
    },
  });
  await pipeline(response.body, count, createWriteStream(toPath), { signal });
  return bytes;
}
