import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import type { ArchiveStore } from './archive-store.js';

export interface S3ArchiveStoreOptions {
  /** The bucket archives go to (spec 002: `company-erp-backups`). */
  bucket: string;
  /** The bucket's AWS region, e.g. `eu-west-1`; any value for most S3-compatible servers. */
  region: string;
  /** An S3-compatible server's URL (MinIO, the simulator); unset for AWS S3 itself. @default AWS's endpoint for `region` */
  endpoint?: string;
  /**
   * Static credentials; give both or neither.
   * @default the SDK's default provider chain (environment, shared config, instance or task role)
   */
  accessKeyId?: string;
  /** Goes with `accessKeyId`. @default the SDK's default provider chain */
  secretAccessKey?: string;
  /** `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`: most S3-compatible servers need it. @default false */
  forcePathStyle?: boolean;
  /**
   * Deadline of each S3 call (one upload, one list page, one delete batch),
   * retries included: past it the call is aborted and the store method
   * rejects. @default 30000
   */
  timeoutMs?: number;
  /**
   * A client to use instead of one built from the options above (which are
   * then ignored, except `bucket` and `timeoutMs`). The caller owns it:
   * `close()` leaves it open. @default one built from the options
   */
  client?: S3Client;
}

/** S3 refuses a DeleteObjects naming more keys than this. */
const DELETE_BATCH = 1000;

/** Tries of one upload, as the SDK's standard strategy gives every other call. */
const PUT_ATTEMPTS = 3;
/** Backoff before upload retry n is up to BASE·2ⁿ⁻¹ ms (full jitter), as the SDK's standard strategy. */
const BACKOFF_BASE_MS = 100;
/** Error names the SDK itself treats as passing (timeouts, throttling) although some come with a 4xx. */
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/**
 * Archives in an S3 (or S3-compatible) bucket, as spec 002 plans.
 *
 * Retry policy: at most 3 attempts per call, with exponential backoff and
 * jitter, for network errors, throttling and 5xx answers (never for other
 * 4xx: a bad key or credentials stay bad), all within the call's `timeoutMs`.
 * Lists and deletes use the SDK's standard strategy (`maxAttempts: 3`). The
 * SDK never retries an upload, as it cannot rewind a stream, so `put` runs
 * the same policy itself with a fresh file stream per attempt. Every call is
 * idempotent (a PUT of the same bytes to the same key, a list, a delete of
 * keys), so a retry after a lost answer does no harm.
 */
export function s3ArchiveStore(options: S3ArchiveStoreOptions): ArchiveStore & { close(): void } {
  const { bucket } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
    throw new Error('s3ArchiveStore: accessKeyId and secretAccessKey go together; give both or neither.');
  }
  const owned = options.client === undefined;
  const client =
    options.client ??
    new S3Client({
      region: options.region,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.accessKeyId !== undefined && options.secretAccessKey !== undefined
        ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
        : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      maxAttempts: 3,
      // Without a logger the SDK writes to the console, e.g. "non-retryable streaming request" on every failed
      // upload, which `put` does retry. Every failure reaches the caller as a rejection.
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });

  /**
   * Runs one call under the deadline (an AbortSignal the SDK honours in requests and retry backoff alike),
   * naming the call in the error if the deadline passed.
   */
  const withDeadline = async <T>(what: string, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    const abortSignal = AbortSignal.timeout(timeoutMs);
    try {
      return await call(abortSignal);
    } catch (err) {
      if (abortSignal.aborted) throw new Error(`S3 ${what} timed out after ${timeoutMs} ms`, { cause: err });
      throw err;
    }
  };

  const upload = async (key: string, localPath: string, size: number, abortSignal: AbortSignal): Promise<void> => {
    const body = createReadStream(localPath);
    try {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size, ContentType: 'application/json' }),
        { abortSignal },
      );
    } finally {
      // A failed or aborted upload leaves the stream half-read, holding its file descriptor.
      body.destroy();
    }
  };

  return {
    location: `s3://${bucket}/`,

    async put(key, localPath) {
      const { size } = await stat(localPath);
      await withDeadline(`PutObject s3://${bucket}/${key}`, async (abortSignal) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await upload(key, localPath, size, abortSignal);
          } catch (err) {
            if (attempt >= PUT_ATTEMPTS || abortSignal.aborted || !isTransient(err)) throw err;
            await sleep(Math.random() * BACKOFF_BASE_MS * 2 ** (attempt - 1), undefined, { signal: abortSignal });
          }
        }
      });
      return `s3://${bucket}/${key}`;
    },

    async deleteOlderThan(prefix, olderThan) {
      // "Under prefix" means in that folder, as with the local store: `inventory-sync` must not match `inventory-sync-old/…`.
      const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
      // Listed in full before any delete, so deleting never races the listing's continuation tokens.
      const old: string[] = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await withDeadline(`ListObjectsV2 s3://${bucket}/${folder}`, (abortSignal) =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, ContinuationToken: token }), { abortSignal }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined && object.LastModified !== undefined && object.LastModified < olderThan) old.push(object.Key);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);

      let deleted = 0;
      const failed: string[] = [];
      for (let i = 0; i < old.length; i += DELETE_BATCH) {
        const batch = old.slice(i, i + DELETE_BATCH);
        const result = await withDeadline(`DeleteObjects s3://${bucket}/${folder} (${batch.length} keys)`, (abortSignal) =>
          client.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: false } }),
            { abortSignal },
          ),
        );
        deleted += result.Deleted?.length ?? 0;
        for (const e of result.Errors ?? []) failed.push(`${e.Key}: ${e.Code} ${e.Message}`);
      }
      // Per-key refusals come back in a 200 answer: surfaced, or old archives would pile up unnoticed.
      if (failed.length > 0) {
        throw new Error(`S3 DeleteObjects deleted ${deleted} of ${old.length} old archives; ${failed.length} refused, first ${failed[0]}`);
      }
      return deleted;
    },

    close() {
      if (owned) client.destroy();
    },
  };
}

/** Whether an upload that failed with `err` may succeed if tried again (the SDK's own classification, in short). */
function isTransient(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.$retryable || (e.name !== undefined && TRANSIENT.has(e.name))) return true;
  const status = e.$metadata?.httpStatusCode;
  // No status: the request never got an answer (refused, reset, timed out), which another try may get.
  return status === undefined || status === 429 || status >= 500;
}
