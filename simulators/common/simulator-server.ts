import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults } from '../../lib/config.js';
import { listen, readBody, sendJson, type RunningServer } from '../../lib/http/http-server.js';
import type { Logger } from '../../lib/logger.js';
import type { Dataset } from '../data/dataset.js';
import { drawFault, initialFaults, updateFaults, type FaultState } from './fault-state.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SimRequest {
  method: Method;
  path: string;
  /** Values of `:name` segments in the route pattern, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body of POST/PUT, undefined otherwise. */
  body: unknown;
  /** The exact bytes received (webhook signatures are over these). */
  rawBody: Buffer;
  headers: IncomingMessage['headers'];
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SimRoute {
  method: Method;
  /** `/rest/V1/products/:sku`: `:name` matches one path segment. */
  pattern: string;
  handler: (req: SimRequest) => SimResponse | Promise<SimResponse>;
  /** Admin routes are neither counted in stats nor subject to faults. */
  admin?: boolean;
}

export interface SimulatorOptions {
  /** `magento`, `crm`, `erp` or `pos`: names logs and the HTML error pages. */
  name: string;
  port: number;
  host?: string;
  token: string;
  faults: Faults;
  logger: Logger;
  /** The system's own 401 answer. */
  unauthorized: SimResponse;
  /** The system's own answer to a malformed JSON body. */
  badRequest: (message: string) => SimResponse;
  /** The system's own 404 for a path it does not serve. */
  notFound: (path: string) => SimResponse;
  routes: SimRoute[];
  /** Called on close, e.g. to stop an event timer. */
  onClose?: () => void | Promise<void>;
}

export interface RunningSimulator extends RunningServer {
  faults: FaultState;
  stats: { requests: number; byRoute: Record<string, number> };
}

interface CompiledRoute extends SimRoute {
  regex: RegExp;
  names: string[];
}

function compile(route: SimRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

const htmlPage = (status: number, title: string, name: string) =>
  `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1><p>${name} could not serve this request.</p><hr><address>nginx</address></body></html>`;

/**
 * An HTTP server that stands in for one system of record: bearer auth, the
 * system's routes, fault knobs (latency, errors, garbage, outage), request
 * stats, and the admin routes every simulator shares.
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const faults = initialFaults(options.faults);
  const stats = { requests: 0, byRoute: {} as Record<string, number> };
  const adminRoutes: SimRoute[] = [
    { method: 'GET', pattern: '/admin/faults', admin: true, handler: () => ({ status: 200, body: faults }) },
    {
      method: 'PUT',
      pattern: '/admin/faults',
      admin: true,
      handler: (req) => {
        const next = updateFaults(faults, req.body);
        if (typeof next === 'string') return options.badRequest(next);
        Object.assign(faults, next);
        options.logger.info({ faults }, 'faults changed');
        return { status: 200, body: faults };
      },
    },
    { method: 'GET', pattern: '/admin/stats', admin: true, handler: () => ({ status: 200, body: stats }) },
    {
      method: 'POST',
      pattern: '/admin/stats/reset',
      admin: true,
      handler: () => {
        stats.requests = 0;
        stats.byRoute = {};
        return { status: 200, body: stats };
      },
    },
  ];
  const routes = [...adminRoutes, ...options.routes].map(compile);
  // Compared as digests with timingSafeEqual: the answer time says nothing about the token.
  const expected = createHash('sha256').update(`Bearer ${options.token}`).digest();
  const authorized = (header: string | undefined) =>
    header !== undefined && timingSafeEqual(createHash('sha256').update(header).digest(), expected);

  const send = (res: ServerResponse, answer: SimResponse) => {
    if (answer.body === undefined) {
      res.writeHead(answer.status, answer.headers);
      res.end();
    } else sendJson(res, answer.status, answer.body, answer.headers);
  };
  const sendHtml = (res: ServerResponse, status: number, title: string) => {
    const page = htmlPage(status, title, options.name);
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
    res.end(page);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = (req.method ?? 'GET') as Method;
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', system: options.name });
    if (!authorized(req.headers.authorization)) return send(res, options.unauthorized);

    let match: { route: CompiledRoute; values: RegExpExecArray } | undefined;
    for (const route of routes) {
      if (route.method !== method) continue;
      const values = route.regex.exec(url.pathname);
      if (values) {
        match = { route, values };
        break;
      }
    }
    if (!match?.route.admin) {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const fault = drawFault(faults);
      if (fault === 'outage') return sendHtml(res, 503, 'Service Temporarily Unavailable');
      if (fault === 'error') return sendHtml(res, 500, 'Internal Server Error');
      if (fault === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"items":[{"sku":"CG-0');
        return;
      }
    }
    if (!match) return send(res, options.notFound(url.pathname));
    const { route, values } = match;
    if (!route.admin) {
      // Only answers the system really served: a faulted answer never reached its business logic.
      const key = `${route.method} ${route.pattern}`;
      stats.requests++;
      stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
    }
    const rawBody = method === 'GET' ? Buffer.alloc(0) : await readBody(req);
    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return send(res, options.badRequest('body is not valid JSON'));
      }
    }
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(values[i + 1] as string)));
    send(res, await route.handler({ method, path: url.pathname, params, query: url.searchParams, body, rawBody, headers: req.headers }));
  };

  const server = await listen(handle, options.port, options.host, (err) => options.logger.error({ err }, 'request failed'));
  options.logger.info({ url: server.url }, `${options.name} simulator listening`);
  return {
    ...server,
    faults,
    stats,
    close: async () => {
      await options.onClose?.();
      await server.close();
    },
  };
}

/** What starting any one system's simulator takes; some add options of their own. */
export interface SystemSimulatorOptions {
  dataset: Dataset;
  port: number;
  host?: string;
  token: string;
  faults: Faults;
  logger: Logger;
}
