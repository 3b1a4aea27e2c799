import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../lib/errors.js';

/**
 * How a failed ERP inventory download is told apart, as the ERP's circuit
 * breaker and the sync's retry schedule each need it: the codes
 * `upstreamError` gives (UPSTREAM_UNAVAILABLE and UPSTREAM_TIMEOUT are
 * outages, and count towards opening the breaker), plus `status` for an
 * answer the ERP gave. The messages keep what the job's record shows.
 */

const SERVICE = 'erp';

/** Statuses that say "not now" rather than "never": retried on the schedule, though not outages. */
const TRANSIENT_REFUSALS = new Set([408, 429]);

/** A non-2xx answer: 5xx is an outage; 408 and 429 are retried; any other 4xx is a refusal, never retried. */
export function erpStatusError(status: number, request: string, body: string): GraphQLError {
  const code = status >= 500 ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.UPSTREAM_BAD_RESPONSE;
  return new GraphQLError(`The ERP answered ${status} to ${request}: ${body}`, { extensions: { code, service: SERVICE, status } });
}

/** A 200 that is not the inventory (a login page, a proxy's error page): not the ERP's outage as such, but likely gone on a retry. */
export function erpNotJsonError(request: string, contentType: string): GraphQLError {
  return new GraphQLError(`The ERP answered ${request} with ${contentType || 'no content type'}, not JSON.`, {
    extensions: { code: ErrorCode.UPSTREAM_BAD_RESPONSE, service: SERVICE },
  });
}

/** No answer, or one cut off: the connection failed, or the attempt's deadline passed first. */
export function erpTransportError(err: unknown, request: string, deadlineMs: number | undefined): GraphQLError {
  const originalError = err instanceof Error ? err : undefined;
  if (deadlineMs !== undefined) {
    return new GraphQLError(`The ERP did not finish ${request} within the attempt's deadline (${deadlineMs} ms).`, {
      extensions: { code: ErrorCode.UPSTREAM_TIMEOUT, service: SERVICE },
      originalError,
    });
  }
  return new GraphQLError(`The ERP is unavailable (${request}): ${originalError?.message ?? String(err)}`, {
    extensions: { code: ErrorCode.UPSTREAM_UNAVAILABLE, service: SERVICE },
    originalError,
  });
}

/** Our own side failed (the payload's file could not be written): neither the ERP's fault nor an outage of it. */
export function localDownloadError(err: unknown): GraphQLError {
  const originalError = err instanceof Error ? err : undefined;
  return new GraphQLError(originalError?.message ?? String(err), { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR }, originalError });
}

/** The ERP refused the request itself (a 4xx but 408 and 429): a retry would fail the same way. */
export function isRefusal(err: unknown): boolean {
  if (!(err instanceof GraphQLError) || err.extensions.code !== ErrorCode.UPSTREAM_BAD_RESPONSE) return false;
  const status = err.extensions.status;
  return typeof status === 'number' && status < 500 && !TRANSIENT_REFUSALS.has(status);
}
