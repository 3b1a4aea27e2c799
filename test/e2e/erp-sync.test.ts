import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { projectRoot } from '../../lib/project-root.js';
import { adminCall } from '../support/simulator-admin.js';
import { graphql, startTestStack } from '../support/stack.js';
import { asClient } from '../support/gateway-token.js';
import { subscribe } from '../support/subscription-client.js';

/**
 * The ERP sync end to end: started through the gateway (`runErpSync`), read
 * back through it (`syncJobs`), its events reaching a `stockChanged`
 * subscriber, its alerts reaching a Slack-style webhook, and the CLI refused
 * while a job runs in another process.
 */
let stack: RunningStack;
let url: string;
/** Syncs are run and read with the ops scope. */
let ops: { authorization: string };
let slack: Server;
const alerts: Array<{ text: string }> = [];
let alertArrived: () => void = () => undefined;

beforeAll(async () => {
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as { text: string });
      res.end('ok');
      alertArrived();
    });
  });
  slack.listen(0, '127.0.0.1');
  await once(slack, 'listening');
  stack = await startTestStack({ ERP_SYNC_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(slack.address() as { port: number }).port}/hook` });
  url = stack.gateway.graphqlUrl;
  ops = await asClient(url, 'ops-console');
}, 120_000);

afterAll(async () => {
  await stack?.close();
  slack?.close();
});

const JOB = 'id status mode triggeredBy skusProcessed itemsChanged eventsEmitted invalidRecords apiLatencyMs archivePath errorMessage drift { levelsDiffering largest { sku locationId erp ledger difference } }';

/** Polls `syncJobs` until job `id` is no longer running (the job's end is not an event the API pushes). */
async function finished(id: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await graphql(url, `{ syncJobs(last: 5) { ${JOB} } }`, undefined, ops);
    const job = (body.data!.syncJobs as Array<Record<string, any>>).find((j) => j.id === id);
    if (job && job.status !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`sync job ${id} still running`);
    await delay(25);
  }
}

/** One statement in the stack's own schema. */
async function sql<R>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: stack.config.databaseUrl, options: `-c search_path=${stack.config.databaseSchema}` });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** `npm run sync:erp` as built, in a process of its own, against this stack's database and ERP. */
function runCli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cli = join(projectRoot(), 'dist', 'bin', 'sync-erp.js');
  if (!existsSync(cli)) throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
  const { erp } = stack.config.upstreams;
  const env = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'warn',
    DATABASE_URL: stack.config.databaseUrl!,
    DATABASE_SCHEMA: stack.config.databaseSchema!,
    ERP_URL: erp.url,
    ERP_TOKEN: erp.token,
    ERP_SYNC_ARCHIVE_DIR: stack.config.inventory.erpSync.archive.directory,
  };
  return promisify(execFile)(process.execPath, [cli, ...args], { env, cwd: projectRoot() });
}

const erpCount = (levels: Array<{ warehouse: string; sku: string; qty: number }>) =>
  adminCall(stack.simulators.erp, stack.config.upstreams.erp.token, 'POST', '/admin/inventory', levels);

describe('the ERP sync through the gateway', () => {
  it('runs on runErpSync, shows on syncJobs with drift, and delivers an ERP_SYNC change to a subscriber with the product name', async () => {
    const product = stack.dataset.products[3]!;
    const { body: before } = await graphql(url, `{ stockLevels(skus: ["${product.sku}"], locationIds: ["WH-01"]) { onHand } }`, undefined, ops);
    const onHand = before.data!.stockLevels[0].onHand as number;
    const sub = subscribe(url.replace(/^http/, 'ws'), `subscription($skus: [ID!]) { stockChanged(skus: $skus) { sku delta reason location { id } product { name } } }`, {
      skus: [product.sku],
    }, ops);
    await sub.connected;
    await erpCount([{ warehouse: 'WH-01', sku: product.sku, qty: onHand + 9 }]);

    const { body } = await graphql(url, `mutation { runErpSync { ${JOB} } }`, undefined, ops);
    expect(body.errors).toBeUndefined();
    expect(body.data!.runErpSync).toMatchObject({ status: 'running', mode: 'FULL', triggeredBy: 'api' });
    const [change] = await sub.take(1);
    expect(change!.data!.stockChanged).toEqual({ sku: product.sku, delta: 9, reason: 'ERP_SYNC', location: { id: 'WH-01' }, product: { name: product.name } });
    await sub.close();

    const job = await finished(body.data!.runErpSync.id);
    expect(job).toMatchObject({ status: 'completed', itemsChanged: 1, eventsEmitted: 1, invalidRecords: 0, errorMessage: null });
    expect(job.drift).toEqual({ levelsDiffering: 1, largest: [{ sku: product.sku, locationId: 'WH-01', erp: onHand + 9, ledger: onHand, difference: 9 }] });
    expect(job.archivePath).toContain('inventory-sync/');
    const { body: after } = await graphql(url, `{ stockLevels(skus: ["${product.sku}"], locationIds: ["WH-01"]) { onHand } }`, undefined, ops);
    expect(after.data!.stockLevels[0].onHand).toBe(onHand + 9);
  });

  it('refuses a second run while one is going in another process, over the API and from the CLI, alerting the ops channel', async () => {
    // A job that another process is running, as the database (which holds the lock) sees it.
    const [running] = await sql<{ id: string }>(`INSERT INTO sync_jobs (mode, status, triggered_by, deadline_at) VALUES ('FULL', 'running', 'elsewhere', now() + interval '30 minutes') RETURNING id::text`);
    try {
      const overlapAlert = new Promise<void>((resolve) => (alertArrived = resolve));
      const { body: refused } = await graphql(url, 'mutation { runErpSync { id } }', undefined, ops);
      expect(refused.errors![0]!.extensions).toMatchObject({ code: 'SYNC_ALREADY_RUNNING', runningJobId: running!.id });
      await overlapAlert;
      expect(alerts.at(-1)!.text).toContain(`sync ${running!.id} has been running since`);

      const result = await runCli([]).then(
        () => ({ code: 0, stdout: '' }),
        (err: { code: number; stdout: string }) => err,
      );
      expect(result.code).toBe(3);
      expect(JSON.parse(result.stdout)).toMatchObject({ refused: 'another sync is running', running: { id: running!.id } });
    } finally {
      await sql(`UPDATE sync_jobs SET status = 'completed', completed_at = now() WHERE id = $1::bigint`, [running!.id]);
    }
  });

  it('runs from the CLI when nothing else runs, printing progress lines and the job', async () => {
    const { stdout, stderr } = await runCli(['--mode', 'full']);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', mode: 'FULL', triggeredBy: 'cli', itemsChanged: 0 });
    // Not a terminal: plain lines, one per phase.
    expect(stderr).toMatch(/WH-01: fetched .* \(attempt 1\)/);
    expect(stderr).toMatch(/archived the raw payload to .*inventory-sync\//);
    expect(stderr).toMatch(/applied, 0 items changed, 0 events/);
  });
});
