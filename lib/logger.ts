import { trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './observability/request-scope.js';

export type { Logger };

/** The request id and trace id of the code that logs, when it runs for a request or inside a span. */
function correlation(): Record<string, string> {
  const fields: Record<string, string> = {};
  const requestId = currentRequestId();
  if (requestId) fields.requestId = requestId;
  const span = trace.getActiveSpan()?.spanContext();
  if (span && trace.isSpanContextValid(span)) {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  return fields;
}

/**
 * One JSON logger per process; each service names itself in `service`, and
 * every line carries the request id and trace id it was written under. Logs go
 * to stdout unless `to` says otherwise (a CLI keeps stdout for its answer; a
 * test reads a stream).
 */
export function createLogger(service: string, level: string = 'info', to?: 'stderr' | DestinationStream): Logger {
  const options = { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: correlation };
  if (to === undefined) return pino(options);
  return pino(options, to === 'stderr' ? pino.destination(2) : to);
}
