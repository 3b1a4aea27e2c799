import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendJson } from '../../../lib/http/http-server.js';
import { createUpstreamClient, type UpstreamClient } from '../../../lib/http/upstream-client.js';
import { testLogger } from '../../../test/support/logger.js';
import { erpConnector } from '../connectors/erp-connector.js';
import { downloadErpInventory, type ErpDownloadOptions } from './erp-inventory-download.js';

/**
 * The streamed download behind the ERP's circuit breaker, against a stub ERP
 * that answers what each test scripts and counts what reaches it.
 */
const logger = testLogger('erp-download-test');
let erp: Server;
let erpUrl: string;
let answer: (req: IncomingMessage, res: ServerResponse) => void;
let received: string[] = [];
const held: ServerResponse[] = [];
let dir: string;
const clients: UpstreamClient[] = [];

beforeAll(async () => {
  erp = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  erp.listen(0, '127.0.0.1');
  await once(erp, 'listening');
  erpUrl = `http://127.0.0.1:${(erp.address() as { port: number }).port}`;
  dir = await mkdtemp(join(tmpdir(), 'erp-download-test-'));
});
afterAll(async () => {
  clients.forEach((client) => client.close());
  // Aborted requests can leave undici's side of a socket open until its keep-alive timeout: cut them.
  erp.closeAllConnections();
  erp.close();
  await once(erp, 'close');
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => void (received = []));
// A request the stub held unanswered is ended with its test.
afterEach(() => held.splice(0).forEach((res) => res.destroy()));

/** The ERP's client as the inventory subgraph has it: its breaker opens after `failures` outages, and stays open for the test. */
function erpClient(failures = 2): UpstreamClient {
  const client = createUpstreamClient('erp', { url: erpUrl, token: 'erp-token', timeoutMs: 2_000, retries: 0, breaker: { failures, halfOpenAfterMs: 600_000 } });
  clients.push(client);
  return client;
}

const options = (breaker: UpstreamClient | undefined, extra: Partial<ErpDownloadOptions> = {}): ErpDownloadOptions => ({
  url: erpUrl,
  token: 'erp-token',
  attemptTimeoutMs: 5_000,
  retryDelaysMs: [],
  logger,
  ...(breaker ? { breaker } : {}),
  ...extra,
});
const download = (opts: ErpDownloadOptions, signal?: AbortSignal) => downloadErpInventory(opts, { warehouseId: 'WH-01' }, join(dir, 'payload.json'), signal ? { signal } : {});

/** The error a download failed with (it must fail). */
async function failure(promise: Promise<unknown>): Promise<GraphQLError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GraphQLError);
  return err as GraphQLError;
}

describe('the ERP inventory download behind the circuit breaker', () => {
  it('downloads through the breaker, sending the token and leaving it closed', async () => {
    answer = (_req, res) => sendJson(res, 200, [{ sku: 'A', qty: 1 }]);
    const client = erpClient();
    const result = await download(options(client));
    expect(result).toMatchObject({ attempts: 1, bytes: expect.any(Number) });
    expect(JSON.parse(await readFile(join(dir, 'payload.json'), 'utf8'))).toEqual([{ sku: 'A', qty: 1 }]);
    expect(received).toEqual(['GET /inventory?warehouse=WH-01']);
    expect(client.circuit()).toBe('closed');
  });

  it('opens the breaker on repeated outages, then refuses every attempt at once, retries included, without calling the ERP', async () => {
    answer = (_req, res) => sendJson(res, 503, { error: 'unavailable' });
    const client = erpClient(2);
    const waits: number[] = [];
    // Two failing attempts open it; the third and fourth are refused by it.
    const err = await failure(download(options(client, { retryDelaysMs: [1, 2, 3], wait: async (ms) => void waits.push(ms) })));
    expect(received).toHaveLength(2);
    expect(waits).toEqual([1, 2, 3]);
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'erp', circuit: 'open' });
    expect(client.circuit()).toBe('open');

    received = [];
    const next = await failure(download(options(client)));
    expect(next.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });
    expect(received).toEqual([]);
  });

  it('is refused at once when the connector, on the same client, found the ERP down', async () => {
    answer = (_req, res) => sendJson(res, 503, { error: 'unavailable' });
    const client = erpClient(1);
    await expect(erpConnector(client, logger).listWarehouses()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', status: 503 } });
    expect(client.circuit()).toBe('open');
    received = [];
    expect((await failure(download(options(client)))).extensions).toMatchObject({ circuit: 'open' });
    expect(received).toEqual([]);
  });

  it('counts an attempt past its deadline as an outage (UPSTREAM_TIMEOUT)', async () => {
    answer = (_req, res) => void held.push(res);
    const client = erpClient(1);
    const err = await failure(download(options(client, { attemptTimeoutMs: 50 })));
    expect(err.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', service: 'erp' });
    expect(client.circuit()).toBe('open');
  });

  it('never opens it on refusals, and never retries them', async () => {
    answer = (_req, res) => sendJson(res, 403, { error: 'forbidden' });
    const client = erpClient(1);
    for (let i = 0; i < 3; i++) {
      const err = await failure(download(options(client, { retryDelaysMs: [1, 1], wait: async () => undefined })));
      expect(err.message).toContain('403');
      expect(err.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', status: 403 });
    }
    expect(received).toHaveLength(3);
    expect(client.circuit()).toBe('closed');
  });

  it('does not count a stop from outside (the job timeout, shutdown) as an outage, and fails with its reason', async () => {
    answer = (_req, res) => void held.push(res);
    const client = erpClient(1);
    const stop = new AbortController();
    const downloading = download(options(client, { retryDelaysMs: [1] }), stop.signal);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 5_000, interval: 5 });
    stop.abort(new Error('The process is shutting down.'));
    await expect(downloading).rejects.toThrow('The process is shutting down.');
    expect(received).toHaveLength(1);
    expect(client.circuit()).toBe('closed');
  });

  it('still retries and fails alike without a breaker (a caller with no ERP client)', async () => {
    let failures = 1;
    answer = (_req, res) => (failures-- > 0 ? sendJson(res, 500, { error: 'down' }) : sendJson(res, 200, []));
    expect(await download(options(undefined, { retryDelaysMs: [1], wait: async () => undefined }))).toMatchObject({ attempts: 2 });
  });
});

