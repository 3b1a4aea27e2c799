import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { inRequestScope } from './observability/request-scope.js';
import { startTracing } from './observability/start-tracing.js';
import { tracer, type Tracing } from './observability/tracing.js';

/** Every line a logger writes, parsed. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('test', 'info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('createLogger', () => {
  let tracing: Tracing;
  beforeAll(() => {
    tracing = startTracing({ serviceName: 'logger-test', processors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  });
  afterAll(() => tracing.close());

  it('writes the request id of the request the code runs for, however deep and however late', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('outside');
    await inRequestScope('req-7', async () => {
      await Promise.resolve();
      logger.child({ component: 'deep' }).info('inside');
    });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[1]).toMatchObject({ msg: 'inside', requestId: 'req-7', component: 'deep', service: 'test' });
  });

  it('writes the trace and span id of the active span', () => {
    const { logger, lines } = capturingLogger();
    let ids: { traceId: string; spanId: string } | undefined;
    tracer.startActiveSpan('work', (span) => {
      ids = span.spanContext();
      logger.info('in a span');
      span.end();
    });
    expect(lines[0]).toMatchObject({ traceId: ids?.traceId, spanId: ids?.spanId });
  });

  it('lets a field the caller logs win over the correlated one', () => {
    const { logger, lines } = capturingLogger();
    inRequestScope('req-8', () => logger.info({ requestId: 'explicit' }, 'x'));
    expect(lines[0]?.requestId).toBe('explicit');
  });
});
