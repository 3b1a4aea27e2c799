import { once } from 'node:events';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type Queryable } from '../../../lib/db/database.js';
import { openTestDatabase } from '../../../test/support/database.js';
import { loadLedger } from '../../../test/support/loaded-ledger.js';
import { adminCall } from '../../../test/support/simulator-admin.js';
import { startUpstreams, type UpstreamFixture } from '../../../test/support/upstream-fixture.js';
import { createErpConnector } from '../connectors/erp-connector.js';
import { ErpSync, type ErpSyncOptions } from './erp-sync.js';
import { localArchiveStore } from './local-archive-store.js';
import type { SyncAlert, SyncAlerts } from './sync-alert.js';
import type { SyncProgressEvent } from './sync-progress.js';

let upstreams: UpstreamFixture;
let db: Database & { schema: string };
let archiveDir: string;
const alerts: SyncAlert[] = [];
const recordingAlerts: SyncAlerts = { send: async (alert) => void alerts.push(alert) };

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 300, warehouses: 2, stores: 3, customers: 10 });
  db = await openTestDatabase('erp_sync');
  await loadLedger(db, upstreams);
  archiveDir = await mkdtemp(join(tmpdir(), 'erp-sync-test-'));
}, 60_000);

afterAll(async () => {
  await db?.close();
  await upstreams?.close();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

beforeEach(() => void alerts.splice(0));

/** A sync over the fixture's ERP (or another URL), fast retries, local archives. */
function erpSync(
  overrides: Partial<Omit<ErpSyncOptions, 'download'>> & { download?: Partial<ErpSyncOptions['download']> } = {},
  erpUrl = upstreams.erp.url,
  database: Database = db,
): ErpSync {
  const connector = createErpConnector({ ...upstreams.erpConfig, url: upstreams.erp.url }, upstreams.logger);
  return new ErpSync({
    db: database,
    listWarehouses: async () => {
      try {
        return await connector.listWarehouses();
      } finally {
        connector.close();
      }
    },
    archive: localArchiveStore({ directory: archiveDir }),
    alerts: recordingAlerts,
    logger: upstreams.logger,
    ...overrides,
    download: { url: erpUrl, token: upstreams.erpConfig.token, attemptTimeoutMs: 5_000, retryDelaysMs: [1, 2, 3], ...overrides.download },
  });
}

async function runToEnd(sync: ErpSync, mode: 'FULL' | 'INCREMENTAL' = 'FULL', onProgress?: (e: SyncProgressEvent) => void) {
  const outcome = await sync.run({ mode, triggeredBy: 'test', ...(onProgress ? { onProgress } : {}) });
  if (outcome.status !== 'started') throw new Error(`expected a start, got ${outcome.status}`);
  return outcome.done;
}

const level = async (sku: string, locationId: string) =>
  (await db.query<{ on_hand: number }>('SELECT on_hand FROM stock_levels WHERE sku = $1 AND location_id = $2', [sku, locationId])).rows[0]?.on_hand;
const eventsOf = async (sku: string) =>
  (await db.query<{ location_id: string; delta: number; reason: string; previous_available: number; available: number }>(
    `SELECT location_id, delta, reason, previous_available, available FROM stock_events WHERE sku = $1 AND reason = 'ERP_SYNC' ORDER BY event_id`,
    [sku],
  )).rows;
const erpCount = (levels: Array<{ warehouse: string; sku: string; qty: number; discontinued?: boolean }>) =>
  adminCall(upstreams.erp, upstreams.erpConfig.token, 'POST', '/admin/inventory', levels);

describe('ErpSync against the ERP simulator and PostgreSQL', () => {
  it('changes nothing and emits nothing when the ledger already matches, and archives the raw payload', async () => {
    const progress: SyncProgressEvent[] = [];
    // A row's xmin changes with every write to it: the same xmins after the sync mean no level was written.
    const versions = async () => (await db.query<{ v: string }>(`SELECT string_agg(xmin::text, ',' ORDER BY sku, location_id) AS v FROM stock_levels`)).rows[0]!.v;
    const before = await versions();
    const job = await runToEnd(erpSync(), 'FULL', (e) => progress.push(e));
    expect(await versions()).toBe(before);
    expect(job).toMatchObject({ status: 'completed', itemsChanged: 0, eventsEmitted: 0, invalidRecords: 0, mode: 'FULL' });
    expect(job.skusProcessed).toBe(upstreams.dataset.products.length * 2);
    expect(job.drift).toMatchObject({ levelsDiffering: 0, unknownToLedger: 0, largest: [] });
    expect(job.archivePath).toMatch(/inventory-sync\/\d{4}-\d{2}-\d{2}\/inventory_\d{8}_\d{6}\.json$/);
    const archived = JSON.parse(await readFile(job.archivePath!, 'utf8')) as Record<string, Array<{ sku: string; qty: number }>>;
    expect(Object.keys(archived)).toEqual(['WH-01', 'WH-02']);
    expect(archived['WH-01']).toHaveLength(upstreams.dataset.products.length);
    expect(progress.map((e) => e.phase)).toEqual(expect.arrayContaining(['fetch', 'archive', 'stage', 'apply']));
    expect(job.apiLatencyMs).toBeGreaterThanOrEqual(0);
  });

  it('applies what the ERP changed: one ERP_SYNC event per changed level, new SKUs recorded, discontinued flagged, drift measured first', async () => {
    const [a, b] = upstreams.dataset.products;
    const before = (await level(a!.sku, 'WH-01'))!;
    await erpCount([
      { warehouse: 'WH-01', sku: a!.sku, qty: before + 7 },
      { warehouse: 'WH-02', sku: b!.sku, qty: (await level(b!.sku, 'WH-02'))!, discontinued: true },
      { warehouse: 'WH-02', sku: 'CG-NEW-1', qty: 12 },
    ]);
    const job = await runToEnd(erpSync());
    expect(job).toMatchObject({ status: 'completed', eventsEmitted: 2, discontinued: 1 });
    // The changed level, the new level, and the flag that flipped.
    expect(job.itemsChanged).toBe(3);
    expect(job.drift).toMatchObject({ levelsDiffering: 2, unknownToLedger: 1 });
    expect(job.drift!.largest[0]).toMatchObject({ sku: 'CG-NEW-1', locationId: 'WH-02', erp: 12, ledger: 0, difference: 12 });
    expect(await level(a!.sku, 'WH-01')).toBe(before + 7);
    expect(await eventsOf(a!.sku)).toEqual([expect.objectContaining({ location_id: 'WH-01', delta: 7, reason: 'ERP_SYNC' })]);
    expect(await eventsOf('CG-NEW-1')).toEqual([{ location_id: 'WH-02', delta: 12, reason: 'ERP_SYNC', previous_available: 0, available: 12 }]);
    expect(await eventsOf(b!.sku)).toEqual([]);
    const items = await db.query<{ sku: string; is_discontinued: boolean; discontinued_at: Date | null }>(
      'SELECT sku, is_discontinued, discontinued_at FROM inventory_items WHERE sku = ANY($1) ORDER BY sku',
      [[b!.sku, 'CG-NEW-1']],
    );
    const bySku = new Map(items.rows.map((r) => [r.sku, { discontinued: r.is_discontinued, since: r.discontinued_at !== null }]));
    expect(bySku.get('CG-NEW-1')).toEqual({ discontinued: false, since: false });
    expect(bySku.get(b!.sku)).toEqual({ discontinued: true, since: true });
  });

  it('never clears a discontinued flag on an INCREMENTAL sync (it lists only changed levels), only on a FULL one', async () => {
    const [, b] = upstreams.dataset.products;
    const flagged = async () =>
      (await db.query<{ is_discontinued: boolean; discontinued_at: Date | null }>('SELECT is_discontinued, discontinued_at FROM inventory_items WHERE sku = $1', [b!.sku])).rows[0]!;
    const before = await flagged();
    expect(before.is_discontinued).toBe(true);
    // Another warehouse's level of the same SKU changes, without the flag.
    await erpCount([{ warehouse: 'WH-01', sku: b!.sku, qty: (await level(b!.sku, 'WH-01'))! + 2 }]);
    await runToEnd(erpSync(), 'INCREMENTAL');
    expect(await flagged()).toEqual(before);
    // The ERP lifts it: a FULL sync sees every level of the SKU and clears it.
    await erpCount([{ warehouse: 'WH-02', sku: b!.sku, qty: (await level(b!.sku, 'WH-02'))!, discontinued: false }]);
    await runToEnd(erpSync(), 'FULL');
    expect(await flagged()).toEqual({ is_discontinued: false, discontinued_at: null });
  });

  it('asks only for what changed since the last completed job when INCREMENTAL', async () => {
    await runToEnd(erpSync());
    const [, , c] = upstreams.dataset.products;
    await erpCount([{ warehouse: 'WH-01', sku: c!.sku, qty: (await level(c!.sku, 'WH-01'))! + 1 }]);
    const job = await runToEnd(erpSync(), 'INCREMENTAL');
    expect(job).toMatchObject({ status: 'completed', mode: 'INCREMENTAL', itemsChanged: 1, eventsEmitted: 1 });
    // What changed since the last sync (with a minute's margin for clocks), not the whole inventory.
    expect(job.skusProcessed).toBeGreaterThanOrEqual(1);
    expect(job.skusProcessed).toBeLessThan(upstreams.dataset.products.length);
    expect(job.modifiedSince).toBeInstanceOf(Date);
  });

  it('refuses a second job while one runs, alerting, and recovers a dead job past the timeout', async () => {
    const sync = erpSync();
    const first = await sync.run({ mode: 'FULL', triggeredBy: 'test' });
    const second = await erpSync().run({ mode: 'FULL', triggeredBy: 'test' });
    expect(first.status).toBe('started');
    expect(second).toMatchObject({ status: 'overlap' });
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'overlap' }));
    if (first.status === 'started') await first.done;

    // A job whose process died: still `running`, started long ago.
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO sync_jobs (mode, status, triggered_by, started_at, deadline_at) VALUES ('FULL', 'running', 'dead', now() - interval '40 minutes', now() - interval '10 minutes') RETURNING id::text`,
    );
    const job = await runToEnd(erpSync());
    expect(job.status).toBe('completed');
    const dead = await sync.jobs.get(rows[0]!.id);
    expect(dead).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('presumed dead') });
  });

  it('does not alert when replicas on one schedule start at the same tick and one of them wins', async () => {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO sync_jobs (mode, status, triggered_by, deadline_at) VALUES ('FULL', 'running', 'schedule', now() + interval '30 minutes') RETURNING id::text`,
    );
    try {
      expect(await erpSync().run({ mode: 'FULL', triggeredBy: 'schedule' })).toMatchObject({ status: 'overlap', running: { id: rows[0]!.id } });
      expect(alerts).toEqual([]);
      expect(await erpSync().run({ mode: 'INCREMENTAL', triggeredBy: 'schedule' })).toMatchObject({ status: 'overlap' });
      expect(alerts).toEqual([expect.objectContaining({ kind: 'overlap', runningJobId: rows[0]!.id })]);
    } finally {
      await db.query(`UPDATE sync_jobs SET status = 'completed' WHERE id = $1::bigint`, [rows[0]!.id]);
    }
  });

  it('alerts when more items change than the threshold, and when a job runs past the runtime limit', async () => {
    const [, , , d, e] = upstreams.dataset.products;
    await erpCount([
      { warehouse: 'WH-01', sku: d!.sku, qty: (await level(d!.sku, 'WH-01'))! + 3 },
      { warehouse: 'WH-01', sku: e!.sku, qty: (await level(e!.sku, 'WH-01'))! + 3 },
    ]);
    const job = await runToEnd(erpSync({ changeAlertThreshold: 1, runtimeAlertMs: 0 }));
    expect(alerts).toContainEqual({ kind: 'many-changes', jobId: job.id, itemsChanged: 2, threshold: 1 });
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'slow', jobId: job.id, thresholdMs: 0 }));
  });
});

/** A stand-in ERP for what the simulator will not do: garbage records, failures on demand. */
describe('ErpSync against a misbehaving ERP', () => {
  let server: Server;
  let url: string;
  let answer: (warehouse: string, res: ServerResponse) => void;
  let requests = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      answer(new URL(req.url!, 'http://x').searchParams.get('warehouse') ?? '', res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });
  beforeEach(() => void (requests = 0));

  const json = (res: ServerResponse, body: unknown, status = 200) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const known = () => upstreams.dataset.products[10]!.sku;

  it('logs and counts invalid records (and every copy of a SKU given twice) and still applies the valid ones', async () => {
    const sku = known();
    const target = (await level(sku, 'WH-01'))! + 5;
    answer = (warehouse, res) =>
      json(
        res,
        warehouse === 'WH-01'
          ? [{ sku, qty: target }, { qty: 3 }, { sku: 'X-1', qty: -1 }, { sku: 'X-2', qty: 1.5 }, { sku: 'X-3', qty: '4' }, { sku: 'DUP', qty: 1 }, { sku: 'DUP', qty: 2 }, 'junk']
          : [],
      );
    const job = await runToEnd(erpSync({}, url));
    expect(job).toMatchObject({ status: 'completed', skusProcessed: 1, invalidRecords: 7, eventsEmitted: 1 });
    expect(await level(sku, 'WH-01')).toBe(target);
    expect(await level('DUP', 'WH-01')).toBeUndefined();
  });

  it('retries a failing ERP on its schedule (5 s, 15 s, 45 s), and not a refusal', async () => {
    let failures = 2;
    answer = (_w, res) => (failures-- > 0 ? json(res, { error: 'unavailable' }, 503) : json(res, []));
    const waits: number[] = [];
    // The spec's schedule, with the waits recorded rather than slept.
    const job = await runToEnd(erpSync({ download: { retryDelaysMs: [5_000, 15_000, 45_000], wait: async (ms) => void waits.push(ms) } }, url));
    expect(job.status).toBe('completed');
    // Two 503s, then one answer for each of the two warehouses.
    expect(requests).toBe(4);
    expect(waits).toEqual([5_000, 15_000]);

    requests = 0;
    answer = (_w, res) => json(res, { error: 'forbidden' }, 403);
    const refused = await runToEnd(erpSync({}, url));
    expect(refused).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('403') });
    expect(requests).toBe(1);
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'failed', jobId: refused.id }));

    requests = 0;
    answer = (_w, res) => json(res, { error: 'down' }, 500);
    const exhausted = await runToEnd(erpSync({}, url));
    expect(exhausted.status).toBe('failed');
    expect(requests).toBe(4);
  });

  it('stops a job that outlives its timeout, recording why', async () => {
    const held: ServerResponse[] = [];
    answer = (_w, res) => void held.push(res);
    try {
      const job = await runToEnd(erpSync({ jobTimeoutMs: 200 }, url));
      expect(job).toMatchObject({ status: 'failed', errorMessage: 'Stopped after the job timeout (200 ms).' });
      expect(alerts).toContainEqual(expect.objectContaining({ kind: 'failed', jobId: job.id }));
    } finally {
      held.forEach((res) => res.destroy());
    }
  });

  it('fails the job on a payload that is not a JSON array, applying nothing', async () => {
    answer = (_w, res) => json(res, '{"sku": "A", "qty": 1}');
    const job = await runToEnd(erpSync({}, url));
    expect(job).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('not a JSON array') });
  });

  it('rolls everything back on a database error while applying, and records the failure', async () => {
    const sku = known();
    const before = (await level(sku, 'WH-01'))!;
    answer = (warehouse, res) => json(res, warehouse === 'WH-01' ? [{ sku, qty: before + 100 }] : []);
    const failing: Database = {
      ...db,
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            query: (sql, params, options) => {
              if (sql.includes('INSERT INTO stock_events')) throw new Error('disk full (forced)');
              return (tx as Queryable).query(sql, params, options);
            },
          }),
        ),
    };
    const job = await runToEnd(erpSync({}, url, failing));
    expect(job).toMatchObject({ status: 'failed', errorMessage: 'disk full (forced)' });
    expect(await level(sku, 'WH-01')).toBe(before);
  });
});

/** `npm start` runs on embedded PGlite: the same SQL must hold there. */
describe('ErpSync on the embedded database (PGlite)', () => {
  it('syncs a full ERP payload, changes and events included', async () => {
    const pglite = await openDatabase({});
    try {
      await loadLedger(pglite, upstreams);
      const product = upstreams.dataset.products[20]!;
      const { rows } = await pglite.query<{ on_hand: number }>(`SELECT on_hand FROM stock_levels WHERE sku = $1 AND location_id = 'WH-02'`, [product.sku]);
      // The simulator's book is shared with the tests above: compare against what the ERP says now, not the first load.
      await erpCount([{ warehouse: 'WH-02', sku: product.sku, qty: rows[0]!.on_hand + 4 }]);
      const job = await runToEnd(erpSync({}, upstreams.erp.url, pglite));
      expect(job.status).toBe('completed');
      expect(job.eventsEmitted).toBeGreaterThanOrEqual(1);
      const events = await pglite.query<{ delta: number }>(`SELECT delta FROM stock_events WHERE sku = $1 AND reason = 'ERP_SYNC' AND location_id = 'WH-02'`, [product.sku]);
      expect(events.rows.map((r) => r.delta)).toContain(4);
      const again = await runToEnd(erpSync({}, upstreams.erp.url, pglite));
      expect(again).toMatchObject({ status: 'completed', itemsChanged: 0, eventsEmitted: 0 });
    } finally {
      await pglite.close();
    }
  });
});
