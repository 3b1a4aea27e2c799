import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { listen, sendJson, type RunningServer } from './http-server.js';
import { createUpstreamClient } from './upstream-client.js';

/** A real HTTP server whose answers each test scripts, counting what it received. */
let server: RunningServer;
let script: (req: IncomingMessage, res: ServerResponse) => void;
let received: string[] = [];
let hung: ServerResponse[] = [];

beforeAll(async () => {
  server = await listen((req, res) => {
    received.push(`${req.method} ${req.url}`);
    script(req, res);
  }, 0);
});
afterAll(async () => {
  hung.forEach((res) => res.destroy());
  await server.close();
});

const client = (retries = 2, timeoutMs = 2_000) => createUpstreamClient('magento', { url: server.url, token: 't0k3n', timeoutMs, retries });
const Item = z.object({ sku: z.string() });

async function codeOf(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphQLError);
  return (err as GraphQLError).extensions;
}

describe('upstream client', () => {
  it('sends the bearer token and validates the answer', async () => {
    received = [];
    script = (req, res) => sendJson(res, 200, { sku: req.headers.authorization });
    expect(await client().get('/item', Item)).toEqual({ sku: 'Bearer t0k3n' });
  });

  it('retries an idempotent read after a 5xx, then succeeds', async () => {
    received = [];
    let calls = 0;
    script = (_req, res) => (++calls < 3 ? sendJson(res, 503, { message: 'busy' }) : sendJson(res, 200, { sku: 'A' }));
    expect(await client(2).get('/item', Item)).toEqual({ sku: 'A' });
    expect(received).toHaveLength(3);
  });

  it('never retries a POST', async () => {
    received = [];
    script = (_req, res) => sendJson(res, 500, { message: 'boom' });
    expect(await codeOf(client(3).post('/orders', {}, Item))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'magento', status: 500 });
    expect(received).toHaveLength(1);
  });

  it('never retries a POST whose connection dropped or timed out, but does retry such a GET', async () => {
    received = [];
    script = (req, res) => res.socket?.destroy();
    expect(await codeOf(client(2).post('/orders', {}, Item))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(received).toHaveLength(1);
    received = [];
    script = (_req, res) => hung.push(res);
    expect(await codeOf(client(2, 100).post('/orders', {}, Item))).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(received).toHaveLength(1);
    received = [];
    expect(await codeOf(client(2, 100).get('/slow', Item))).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(received).toHaveLength(3);
  });

  it('maps an HTML error page to UPSTREAM_UNAVAILABLE and cut-off JSON to UPSTREAM_BAD_RESPONSE', async () => {
    script = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    };
    expect(await codeOf(client(0).get('/item', Item))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502 });
    script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"sku": "A');
    };
    expect(await codeOf(client(0).get('/item', Item))).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('maps a wrong shape to UPSTREAM_BAD_RESPONSE and a 404 to NOT_FOUND', async () => {
    script = (_req, res) => sendJson(res, 200, { sku: 42 });
    expect(await codeOf(client(0).get('/item', Item))).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
    script = (_req, res) => sendJson(res, 404, { message: 'no such item' });
    expect(await codeOf(client(0).get('/item', Item))).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('gives up at the timeout with UPSTREAM_TIMEOUT', async () => {
    script = (_req, res) => hung.push(res);
    expect(await codeOf(client(0, 100).get('/slow', Item))).toMatchObject({ code: 'UPSTREAM_TIMEOUT', service: 'magento' });
  });

  it('opens its circuit after failures in a row, fails fast without calling, and closes again after a good trial call', async () => {
    // Date only: cockatiel measures the half-open wait on Date.now; timers stay real for the HTTP calls.
    vi.useFakeTimers({ toFake: ['Date'] });
    const breaking = createUpstreamClient('erp', { url: server.url, token: 't', timeoutMs: 2_000, retries: 0, breaker: { failures: 3, halfOpenAfterMs: 10_000 } });
    const refusing = createUpstreamClient('erp', { url: server.url, token: 't', timeoutMs: 2_000, retries: 0, breaker: { failures: 1, halfOpenAfterMs: 10_000 } });
    try {
      received = [];
      let healthy = false;
      script = (_req, res) => (healthy ? sendJson(res, 200, { sku: 'A' }) : sendJson(res, 503, { message: 'down' }));
      for (let i = 0; i < 3; i++) expect(await codeOf(breaking.get('/item', Item))).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
      expect(breaking.circuit()).toBe('open');
      // Open: refused at once, the system is not called.
      expect(await codeOf(breaking.get('/item', Item))).toEqual({ code: 'UPSTREAM_UNAVAILABLE', service: 'erp', circuit: 'open' });
      expect(received).toHaveLength(3);
      healthy = true;
      vi.setSystemTime(Date.now() + 10_001);
      expect(await breaking.get('/item', Item)).toEqual({ sku: 'A' });
      expect(breaking.circuit()).toBe('closed');
      expect(received).toHaveLength(4);

      // A 4xx is the request's fault, not an outage: it never opens the circuit.
      script = (_req, res) => sendJson(res, 404, { message: 'no such item' });
      for (let i = 0; i < 3; i++) expect(await codeOf(refusing.get('/item', Item))).toMatchObject({ code: 'NOT_FOUND' });
      expect(refusing.circuit()).toBe('closed');
    } finally {
      vi.useRealTimers();
      breaking.close();
      refusing.close();
    }
  });
});
