import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../lib/db/database.js';
import { createUpstreamClient, type UpstreamClient } from '../../../lib/http/upstream-client.js';
import { metrics } from '../../../lib/observability/metrics.js';
import { openTestDatabase } from '../../../test/support/database.js';
import { loadLedger } from '../../../test/support/loaded-ledger.js';
import { setFaults } from '../../../test/support/simulator-admin.js';
import { startUpstreams, type UpstreamFixture } from '../../../test/support/upstream-fixture.js';
import { createErpSync, type ErpSyncService } from './create-erp-sync.js';
import { localArchiveStore } from './local-archive-store.js';
import type { SyncMode } from './sync-job-repository.js';

/**
 * What a finished ERP sync job leaves in Prometheus, and a job refused at once
 * by the ERP's circuit breaker, over the ERP simulator and the real PostgreSQL.
 */
let upstreams: UpstreamFixture;
let db: Database;
let archiveDir: string;
const open: ErpSyncService[] = [];
const clients: UpstreamClient[] = [];

beforeAll(async () => {
  upstreams = await startUpstreams({ skus: 120, warehouses: 2, stores: 2, customers: 10 });
  db = await openTestDatabase('erp_sync_metrics');
  await loadLedger(db, upstreams);
  archiveDir = await mkdtemp(join(tmpdir(), 'erp-sync-metrics-test-'));
}, 60_000);
afterEach(() => setFaults(upstreams.erp, upstreams.erpConfig.token, { outage: false }));
afterAll(async () => {
  for (const service of open) await service.close();
  clients.forEach((client) => client.close());
  await db?.close();
  await upstreams?.close();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

/** A sync as the inventory subgraph makes it: over a shared ERP client (whose breaker opens after `failures` outages), quick retries. */
function erpSync(failures = 5): { service: ErpSyncService; client: UpstreamClient } {
  const config = { ...upstreams.erpConfig, breaker: { failures, halfOpenAfterMs: 600_000 } };
  const client = createUpstreamClient('erp', config);
  clients.push(client);
  const service = createErpSync({
    db,
    erp: config,
    erpClient: client,
    settings: { retryDelaysMs: [1, 1], archive: localArchiveStore({ directory: archiveDir }), alerts: { send: async () => undefined } },
    logger: upstreams.logger,
  });
  open.push(service);
  return { service, client };
}

async function runToEnd(service: ErpSyncService, mode: SyncMode = 'FULL') {
  const outcome = await service.sync.run({ mode, triggeredBy: 'test' });
  if (outcome.status !== 'started') throw new Error(`expected a start, got ${outcome.status}`);
  return outcome.done;
}

type Reading = { values: Array<{ labels: Record<string, string | number | undefined>; value: number; metricName?: string }> };
/** A metric's value for exactly these labels (0 when never recorded); `series` picks a histogram's `_count` or `_sum`. */
async function valueOf(metric: { get(): Promise<Reading> | Reading }, labels: Record<string, string>, series?: string): Promise<number> {
  const { values } = await metric.get();
  const found = values.find((v) => (!series || v.metricName === series) && Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return found?.value ?? 0;
}

/** Every sync figure of one kind, to compare before and after a job. */
async function figures(kind: string) {
  return {
    succeeded: await valueOf(metrics.syncJobs, { kind, outcome: 'succeeded' }),
    failed: await valueOf(metrics.syncJobs, { kind, outcome: 'failed' }),
    timed: await valueOf(metrics.syncDuration, { kind }, 'erp_sync_duration_seconds_count'),
    applied: await valueOf(metrics.syncRecords, { kind, result: 'applied' }),
    rejected: await valueOf(metrics.syncRecords, { kind, result: 'rejected' }),
    lastSuccess: await valueOf(metrics.syncLastSuccess, { kind }),
  };
}

describe('ERP sync job metrics', () => {
  it('records a succeeded job: its kind, run time, records applied and rejected, and when it finished', async () => {
    const before = await figures('full');
    const job = await runToEnd(erpSync().service);
    expect(job.status).toBe('completed');
    expect(job.skusProcessed).toBeGreaterThan(0);
    expect(await figures('full')).toEqual({
      succeeded: before.succeeded + 1,
      failed: before.failed,
      timed: before.timed + 1,
      applied: before.applied + job.skusProcessed,
      rejected: before.rejected + job.invalidRecords,
      lastSuccess: job.completedAt!.getTime() / 1000,
    });
  });

  it('records a failed job without records or a new last success, and labels an incremental one as such', async () => {
    await setFaults(upstreams.erp, upstreams.erpConfig.token, { outage: true });
    const before = await figures('incremental');
    const job = await runToEnd(erpSync().service, 'INCREMENTAL');
    expect(job.status).toBe('failed');
    expect(await figures('incremental')).toEqual({ ...before, failed: before.failed + 1, timed: before.timed + 1 });
  });

  it('fails a job at once while the ERP breaker is open, without calling the ERP', async () => {
    const { service, client } = erpSync(1);
    await setFaults(upstreams.erp, upstreams.erpConfig.token, { outage: true });
    expect((await runToEnd(service)).status).toBe('failed');
    expect(client.circuit()).toBe('open');

    // The ERP is back, but the breaker waits out its half-open delay: the job is refused without a call.
    await setFaults(upstreams.erp, upstreams.erpConfig.token, { outage: false });
    const calls = upstreams.calls().erp;
    const before = await figures('full');
    const refused = await runToEnd(service);
    expect(refused).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('not called while it recovers') });
    expect(upstreams.calls().erp).toBe(calls);
    expect(await figures('full')).toMatchObject({ failed: before.failed + 1, succeeded: before.succeeded });
  });
});
