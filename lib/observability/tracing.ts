import { trace } from '@opentelemetry/api';

/** Every span of ours comes from this tracer; @apollo/gateway adds its own (`gateway.plan`, `gateway.fetch`, ...) under it. */
export const tracer = trace.getTracer('commerce-graph');

export interface Tracing {
  /** Flushes what is buffered, then unregisters, so another provider may start in this process. */
  close(): Promise<void>;
}

/**
 * Tracing as the config asks: started when an OTLP endpoint is set, otherwise nothing (a no-op to close).
 * The SDK (start-tracing.ts) is imported only then: most processes never trace, and it is some 8 MiB of resident memory.
 */
export async function tracingFrom(observability: { otlpEndpoint?: string; sampleRatio: number }, serviceName: string): Promise<Tracing> {
  if (!observability.otlpEndpoint) return { close: async () => undefined };
  const { startTracing } = await import('./start-tracing.js');
  return startTracing({ serviceName, otlpEndpoint: observability.otlpEndpoint, sampleRatio: observability.sampleRatio });
}
