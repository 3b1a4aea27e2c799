/**
 * The gateway benchmark's load generator, in a process of its own (on the
 * core the server under test does not have): one autocannon run per IPC
 * request, a warm-up or a measured run, so the orchestrator can sample the
 * server's CPU and memory around the measured one alone.
 */
import autocannon from 'autocannon';
import { summarize } from './percentiles.js';
import type { LoadReply, LoadRequest, LoadResult, LoadRun } from './gateway-speed-protocol.js';

/** A 2xx answer is good only with `data` and no `errors`: a row must not be fast because it fails. */
const isGoodBody = (body: string) => body.startsWith('{"data":') && !body.includes('"errors":');

async function run(request: LoadRun): Promise<LoadResult> {
  // Every answer's latency, unrounded: autocannon's own histogram counts whole milliseconds.
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let graphqlErrors = 0;
  let firstBadBody: string | undefined;
  const instance = autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: request.connections,
    pipelining: 1,
    duration: request.durationS,
    timeout: 10,
    verifyBody: (body) => {
      if (isGoodBody(body)) return true;
      graphqlErrors++;
      firstBadBody ??= body.slice(0, 500);
      return false;
    },
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const result = await instance;
  return {
    responses: count,
    rps: count / result.duration,
    latency: summarize(latencies.subarray(0, count)),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    graphqlErrors,
    ...(firstBadBody === undefined ? {} : { firstBadBody }),
    durationMs: result.duration * 1000,
  };
}

process.on('message', (message: LoadRequest) => {
  const reply = (r: LoadReply) => process.send!(r);
  run(message.run).then(
    (result) => reply({ result }),
    (err: unknown) => reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
process.send!({ ready: true });
