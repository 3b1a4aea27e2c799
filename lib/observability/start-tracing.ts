import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { Tracing } from './tracing.js';

export interface TracingOptions {
  /** `service.name` on every span of this process. */
  serviceName: string;
  /** OTLP/HTTP endpoint spans are exported to (`…/v1/traces` is appended). @default none: no exporter */
  otlpEndpoint?: string;
  /** Share of new traces recorded (0 to 1); a request that arrives with a sampled `traceparent` is always followed. @default 1 */
  sampleRatio?: number;
  /** More processors, e.g. a test's in-memory exporter. @default none */
  processors?: SpanProcessor[];
}

/**
 * OpenTelemetry for this process: spans go to the OTLP endpoint, context flows
 * through async calls (AsyncLocalStorage), and W3C `traceparent` is read from
 * requests and written on every call out. Off by default: without a call to
 * this, the API is a no-op and costs nothing. A module apart from tracing.ts,
 * which every traced module imports for its `tracer`: the SDK (some 8 MiB of
 * resident memory) is loaded only by a process that starts tracing.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processors = [...(options.processors ?? [])];
  if (options.otlpEndpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/$/, '')}/v1/traces`, timeoutMillis: 10_000 })));
  }
  // Decided by the trace id alone, so every service takes the same decision for one trace, and a
  // client cannot have its requests recorded by marking its `traceparent` sampled.
  const ratio = new TraceIdRatioBasedSampler(options.sampleRatio ?? 1);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: new ParentBasedSampler({ root: ratio, remoteParentSampled: ratio, remoteParentNotSampled: ratio }),
    spanProcessors: processors,
  });
  // W3C trace context only, with the AsyncLocalStorage context manager: no baggage, which a client
  // could otherwise send through us to the systems of record.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    close: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
