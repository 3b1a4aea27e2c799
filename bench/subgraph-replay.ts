import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_PRINCIPAL_HEADER, GATEWAY_SIGNATURE_HEADER, GatewaySignatureError, verifyGatewayRequest } from '../lib/auth/gateway-signature.js';
import { listen, readBody, sendJson, type RunningServer } from '../lib/http/http-server.js';

/** Answers kept at most: a benchmark asks a handful of distinct subgraph requests; past this, answers are passed on, not kept. */
const MAX_ANSWERS = 10_000;

export interface ReplayStats {
  /** Answered from what the subgraph answered before. */
  hits: number;
  /** Passed on to the subgraph (and kept when it answered 200 without errors). */
  misses: number;
  /** Not signed by a gateway with the run's secret: refused as the subgraph would (401). */
  refused: number;
}

export interface SubgraphReplay extends RunningServer {
  /** Where gateways send what they would send to the subgraph's `/graphql`. */
  graphqlUrl: string;
  stats: ReplayStats;
}

/**
 * One subgraph behind a replay: a signed request is verified as the subgraph
 * verifies it, and the first time a request (its target, principal, `accept`
 * and exact body) is seen it is passed on to the subgraph; its answer, if a
 * clean 200 (no errors, nothing served stale), is kept and given, byte for byte, to every identical request
 * after it. The gateway still plans, signs, sends, parses and merges every
 * subgraph call: only the subgraph's own work (resolvers, SQL, simulators) is
 * taken out, so a 2-core machine measures the gateway rather than the stack.
 */
export async function startSubgraphReplay(subgraphUrl: string, signingSecret: string, host = '127.0.0.1'): Promise<SubgraphReplay> {
  const origin = new URL(subgraphUrl).origin;
  const answers = new Map<string, { headers: Record<string, string>; body: Buffer }>();
  const stats: ReplayStats = { hits: 0, misses: 0, refused: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed', message: 'The replay answers POST only.' });
    const target = req.url ?? '/';
    const body = (await readBody(req)).toString('utf8');
    try {
      verifyGatewayRequest(signingSecret, { method: 'POST', target, body, headers: req.headers });
    } catch (err) {
      if (!(err instanceof GatewaySignatureError)) throw err;
      stats.refused++;
      return sendJson(res, 401, { errors: [{ message: 'This service answers only requests signed by the gateway.', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const key = `${target}\n${String(req.headers[GATEWAY_PRINCIPAL_HEADER])}\n${req.headers.accept ?? ''}\n${body}`;
    const kept = answers.get(key);
    if (kept) {
      stats.hits++;
      res.writeHead(200, kept.headers).end(kept.body);
      return;
    }
    stats.misses++;
    const forwarded: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
    for (const name of ['accept', GATEWAY_PRINCIPAL_HEADER, GATEWAY_SIGNATURE_HEADER]) {
      const value = req.headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    const answer = await fetch(`${origin}${target}`, { method: 'POST', headers: forwarded, body, signal: AbortSignal.timeout(30_000) });
    const answerBody = Buffer.from(await answer.arrayBuffer());
    const headers: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    const cacheControl = answer.headers.get('cache-control');
    if (cacheControl) headers['cache-control'] = cacheControl;
    // An answer served stale (the product cache refreshing) is passed on but not kept: replayed, it would stay stale for the whole run.
    if (answer.status === 200 && !answerBody.includes('"errors"') && !answerBody.includes('"stale"') && answers.size < MAX_ANSWERS) answers.set(key, { headers: { ...headers, 'content-length': String(answerBody.length) }, body: answerBody });
    res.writeHead(answer.status, headers).end(answerBody);
  };

  const server = await listen(handle, 0, host);
  return { ...server, graphqlUrl: `${server.url}${new URL(subgraphUrl).pathname}`, stats };
}
