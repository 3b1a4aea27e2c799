import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { AxiosError, type AxiosRequestConfig } from 'axios';
import axiosRetry, { exponentialDelay, isIdempotentRequestError } from 'axios-retry';
import { GraphQLError } from 'graphql';
import type { ZodType } from 'zod';
import type { UpstreamConfig } from '../config.js';
import { ErrorCode } from '../errors.js';

export interface UpstreamClient {
  /** The system's name as errors and logs show it: `magento`, `crm`, `erp`, `pos`. */
  readonly system: string;
  /** A JSON read, validated against `schema`. Retried on network errors and 5xx (reads are idempotent). */
  get<T>(path: string, schema: ZodType<T>, config?: AxiosRequestConfig): Promise<T>;
  /** A JSON write. Never retried: the upstream may already have applied it. */
  post<T>(path: string, body: unknown, schema: ZodType<T>, config?: AxiosRequestConfig): Promise<T>;
  /** Ends the keep-alive sockets, so a closed service leaves nothing open. */
  close(): void;
}

/**
 * An HTTP client for one system of record: bearer token, a timeout on every
 * call, keep-alive sockets, and retries with exponential backoff and jitter for
 * idempotent requests only: GET, HEAD, OPTIONS, PUT or DELETE after a 5xx, a 429
 * or no answer at all (a timeout counts). A POST is never retried, not even after
 * a dropped connection: the upstream may already have applied it.
 */
export function createUpstreamClient(system: string, config: UpstreamConfig): UpstreamClient {
  const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });
  const http = axios.create({
    baseURL: config.url,
    timeout: config.timeoutMs,
    headers: { authorization: `Bearer ${config.token}`, accept: 'application/json' },
    httpAgent,
    httpsAgent,
    transitional: { clarifyTimeoutError: true },
  });
  axiosRetry(http, {
    retries: config.retries,
    retryDelay: (count, error) => exponentialDelay(count, error, 100),
    retryCondition: isIdempotentRequestError,
    shouldResetTimeout: true,
  });

  const call = async <T>(request: AxiosRequestConfig, schema: ZodType<T>): Promise<T> => {
    let data: unknown;
    try {
      const response = await http.request({ ...request, responseType: 'text', transformResponse: (d: unknown) => d });
      data = JSON.parse(response.data as string);
    } catch (err) {
      throw upstreamError(system, err);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new GraphQLError(`${system} answered an unexpected shape.`, {
        extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, service: system },
        originalError: parsed.error,
      });
    }
    return parsed.data;
  };

  return {
    system,
    get: (path, schema, cfg) => call({ ...cfg, method: 'GET', url: path }, schema),
    post: (path, body, schema, cfg) => call({ ...cfg, method: 'POST', url: path, data: body }, schema),
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Maps a failed call to a GraphQL error with a stable code naming the system. */
export function upstreamError(system: string, err: unknown): GraphQLError {
  const extensions = (code: ErrorCode, status?: number) => ({ code, service: system, ...(status ? { status } : {}) });
  if (err instanceof SyntaxError) {
    return new GraphQLError(`${system} answered something that is not JSON.`, { extensions: extensions(ErrorCode.UPSTREAM_BAD_RESPONSE), originalError: err });
  }
  if (err instanceof AxiosError) {
    if (err.code === AxiosError.ETIMEDOUT || err.code === AxiosError.ECONNABORTED) {
      return new GraphQLError(`${system} did not answer in time.`, { extensions: extensions(ErrorCode.UPSTREAM_TIMEOUT), originalError: err });
    }
    const status = err.response?.status;
    if (status === 404) {
      return new GraphQLError(`${system} has no such record.`, { extensions: extensions(ErrorCode.NOT_FOUND, status), originalError: err });
    }
    if (status !== undefined && status < 500) {
      return new GraphQLError(`${system} refused the request (${status}).`, { extensions: extensions(ErrorCode.UPSTREAM_BAD_RESPONSE, status), originalError: err });
    }
    return new GraphQLError(`${system} is unavailable.`, { extensions: extensions(ErrorCode.UPSTREAM_UNAVAILABLE, status), originalError: err });
  }
  return new GraphQLError(`${system} call failed.`, { extensions: extensions(ErrorCode.UPSTREAM_UNAVAILABLE), originalError: err instanceof Error ? err : undefined });
}
