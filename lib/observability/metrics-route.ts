import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { sendJson } from '../http/http-server.js';
import { registry } from './metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * `GET /metrics` in Prometheus' text format. With `bearerToken`, only a
 * scraper that sends it is answered (the gateway's port is public); without,
 * anyone who reaches the port is (a subgraph's port is internal).
 */
export function metricsRoute(bearerToken?: string) {
  const expected = bearerToken ? Buffer.from(`Bearer ${bearerToken}`) : undefined;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (expected) {
      const sent = Buffer.from(req.headers.authorization ?? '');
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        return sendJson(res, 401, { error: 'unauthorized', message: 'Send the metrics bearer token.' }, { 'www-authenticate': 'Bearer' });
      }
    }
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body);
  };
}
