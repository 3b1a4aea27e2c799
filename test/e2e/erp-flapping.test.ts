import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { asClient } from '../support/gateway-token.js';
import { graphql, setFaults, startTestStack } from '../support/stack.js';
import { scrape } from '../support/metrics-scrape.js';

/**
 * The ERP flapping, end to end: sync jobs started through the gateway while
 * the ERP is down open the inventory subgraph's ERP circuit breaker
 * (`/readyz`, `/metrics`), the next job is refused at once rather than
 * waiting on the ERP, and once the ERP is back the first job after the
 * half-open wait is its trial call (half-open while it runs), succeeds and
 * closes it. Stock reads never stop: they come
 * from the ledger.
 */
const BREAKER_FAILURES = 2;
let stack: RunningStack;
let url: string;
let ops: { authorization: string };

beforeAll(async () => {
  stack = await startTestStack({
    UPSTREAM_BREAKER_FAILURES: String(BREAKER_FAILURES),
    // Long enough for the refused job to be seen before a trial call is let through; short enough to wait out.
    UPSTREAM_BREAKER_HALF_OPEN_MS: '2000',
    ERP_SYNC_RETRY_DELAYS_MS: '5,5,5',
  });
  url = stack.gateway.graphqlUrl;
  ops = await asClient(url, 'ops-console');
}, 120_000);
afterAll(() => stack?.close());

const setErpFaults = (faults: { outage?: boolean; latencyMs?: number }) => setFaults(stack.simulators.erp, stack.config.upstreams.erp.token, faults);

interface Job {
  id: string;
  status: string;
  mode: string;
  completedAt: string | null;
  errorMessage: string | null;
}

/** Starts a FULL sync through the gateway and waits (polling `syncJobs`, and `meanwhile` on each poll) until it has ended. */
async function syncToEnd(meanwhile?: () => Promise<void>): Promise<Job> {
  const { body } = await graphql(url, 'mutation { runErpSync { id } }', undefined, ops);
  expect(body.errors).toBeUndefined();
  const id = body.data!.runErpSync.id as string;
  return vi.waitFor(
    async () => {
      await meanwhile?.();
      const { body: listed } = await graphql(url, '{ syncJobs(last: 5) { id status mode completedAt errorMessage } }', undefined, ops);
      const job = (listed.data!.syncJobs as Job[]).find((j) => j.id === id);
      if (!job || job.status === 'running') throw new Error(`sync job ${id} still running`);
      return job;
    },
    { timeout: 30_000, interval: 20 },
  );
}

const erpCircuit = async (): Promise<string> => ((await (await fetch(`${stack.subgraphs.inventory.url}/readyz`)).json()) as { upstreams: Record<string, string> }).upstreams.erp!;

/** The inventory subgraph's `/metrics` now. */
const inventoryMetrics = () => scrape(`${stack.subgraphs.inventory.url}/metrics`);
/** One series of it: a gauge that must be there, or a counter (0 until incremented). */
const sample = async (name: string, labels: Record<string, string>) => (await inventoryMetrics()).value(name, labels);
const count = async (name: string, labels: Record<string, string>) => (await inventoryMetrics()).counter(name, labels);
const ERP_BREAKER = { kind: 'upstream', target: 'erp' };
const fullJobs = (outcome: string) => count('erp_sync_jobs_total', { kind: 'full', outcome });

/** Stock of a few SKUs at one warehouse, through the gateway. */
async function stock(skus: string[]): Promise<unknown> {
  const { body } = await graphql(url, `query($skus: [ID!]!) { stockLevels(skus: $skus, locationIds: ["WH-01"]) { sku onHand available } }`, { skus }, ops);
  expect(body.errors).toBeUndefined();
  return body.data!.stockLevels;
}

describe('the ERP flapping', () => {
  it('opens the ERP breaker on failed syncs, refuses the next at once, half-opens for a trial once the ERP is back, and closes on its success', { timeout: 90_000 }, async () => {
    const skus = stack.dataset.products.slice(0, 3).map((p) => p.sku);
    const stockBefore = await stock(skus);
    expect(await erpCircuit()).toBe('closed');
    const succeededBefore = await fullJobs('succeeded');
    const failedBefore = await fullJobs('failed');

    await setErpFaults({ outage: true });
    try {
      // Each failing job is one outage more for the breaker; it opens within a few.
      let failedJobs = 0;
      while ((await erpCircuit()) !== 'open') {
        expect(failedJobs).toBeLessThan(BREAKER_FAILURES);
        expect(await syncToEnd()).toMatchObject({ status: 'failed' });
        failedJobs++;
      }
      expect(await sample('circuit_breaker_state', ERP_BREAKER)).toBe(2);

      // Open: the next job fails without the ERP being called, and says why.
      const refusedBefore = await count('upstream_request_duration_seconds_count', { system: 'erp', method: 'GET', outcome: 'rejected' });
      const refused = await syncToEnd();
      expect(refused).toMatchObject({ status: 'failed', errorMessage: expect.stringContaining('erp is unavailable (not called while it recovers)') });
      expect(await count('upstream_request_duration_seconds_count', { system: 'erp', method: 'GET', outcome: 'rejected' })).toBe(refusedBefore + 1);
      expect(await fullJobs('failed')).toBe(failedBefore + failedJobs + 1);

      // Reads meanwhile come from the ledger, as they were.
      expect(await stock(skus)).toEqual(stockBefore);
      expect(await erpCircuit()).toBe('open');
    } finally {
      // Back, but slow to answer: the trial call lasts long enough for the half-open state to be seen.
      await setErpFaults({ outage: false, latencyMs: 1_000 });
    }

    // Jobs are refused until the half-open wait is over; the first one after it is the trial, and succeeds.
    const seen = new Set<string>();
    const watch = async () => {
      seen.add(await erpCircuit());
      if ((await sample('circuit_breaker_state', ERP_BREAKER)) === 1) seen.add('half-open on /metrics');
    };
    const recovered = await vi
      .waitFor(
        async () => {
          const job = await syncToEnd(watch);
          if (job.status !== 'completed') throw new Error(`sync ${job.id} ${job.status}: ${job.errorMessage}`);
          return job;
        },
        { timeout: 30_000, interval: 50 },
      )
      .finally(() => setErpFaults({ latencyMs: 0 }));
    expect(recovered).toMatchObject({ status: 'completed', mode: 'FULL', errorMessage: null });
    expect([...seen]).toEqual(expect.arrayContaining(['half-open', 'half-open on /metrics']));
    expect(await erpCircuit()).toBe('closed');
    expect(await sample('circuit_breaker_state', ERP_BREAKER)).toBe(0);
    expect(await fullJobs('succeeded')).toBe(succeededBefore + 1);
    expect(await sample('erp_sync_last_success_timestamp_seconds', { kind: 'full' })).toBe(Date.parse(recovered.completedAt!) / 1000);
    expect(await stock(skus)).toEqual(stockBefore);
  });
});
