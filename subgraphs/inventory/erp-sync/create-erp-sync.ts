import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpstreamConfig } from '../../../lib/config.js';
import type { Database } from '../../../lib/db/database.js';
import { createUpstreamClient, type UpstreamClient } from '../../../lib/http/upstream-client.js';
import type { Logger } from '../../../lib/logger.js';
import { erpConnector } from '../connectors/erp-connector.js';
import type { ArchiveStore } from './archive-store.js';
import { ErpSync } from './erp-sync.js';
import { localArchiveStore } from './local-archive-store.js';
import { slackAlerts } from './slack-alerts.js';
import type { SyncAlerts } from './sync-alert.js';
import type { SyncSchedule } from './sync-scheduler.js';

export interface ErpSyncSettings {
  /** Cron expressions (UTC); none: runs only when asked (`runErpSync`, `npm run sync:erp`). */
  schedule?: SyncSchedule;
  /** Waits before each download retry. @default [5000, 15000, 45000] */
  retryDelaysMs?: readonly number[];
  /** Deadline of one download attempt. @default 300000 */
  attemptTimeoutMs?: number;
  /** @default 1800000 */
  jobTimeoutMs?: number;
  /** @default 10000 */
  changeAlertThreshold?: number;
  /** @default 900000 */
  runtimeAlertMs?: number;
  /** @default 30 */
  archiveRetentionDays?: number;
  /** Owned by the sync from here: closed with it. @default a folder in the OS temp directory */
  archive?: ArchiveStore;
  /** @default alerts only logged */
  alerts?: SyncAlerts;
}

export interface ErpSyncService {
  sync: ErpSync;
  /** Stops a running job, then closes the archive store and the ERP client if it made it. */
  close(): Promise<void>;
}

export interface CreateErpSyncOptions {
  db: Database;
  /** The ERP's URL and token (the streamed download calls it itself), and, without `erpClient`, its client's settings. */
  erp: UpstreamConfig;
  /**
   * The process's ERP client, when it has one (the inventory subgraph's):
   * the warehouse list and every download go through its circuit breaker,
   * the one its connector and `/readyz` see. Owned by the caller.
   * @default a client of the sync's own, closed with it (`npm run sync:erp`)
   */
  erpClient?: UpstreamClient;
  settings?: ErpSyncSettings;
  logger: Logger;
  onCommitted?: () => void;
}

/** The ERP sync over this database and ERP, with its settings' defaults filled in. */
export function createErpSync(options: CreateErpSyncOptions): ErpSyncService {
  const settings = options.settings ?? {};
  const { logger } = options;
  const client = options.erpClient ?? createUpstreamClient('erp', options.erp);
  const warehouses = erpConnector(client, logger.child({ upstream: 'erp' }));
  const archive = settings.archive ?? localArchiveStore({ directory: join(tmpdir(), 'commerce-graph-erp-archive') });
  const sync = new ErpSync({
    db: options.db,
    download: {
      url: options.erp.url,
      token: options.erp.token,
      attemptTimeoutMs: settings.attemptTimeoutMs ?? 300_000,
      retryDelaysMs: settings.retryDelaysMs ?? [5_000, 15_000, 45_000],
      breaker: client,
    },
    listWarehouses: () => warehouses.listWarehouses(),
    archive,
    alerts: settings.alerts ?? slackAlerts({ logger }),
    logger,
    onCommitted: options.onCommitted,
    // Unset ones take ErpSync's own defaults.
    jobTimeoutMs: settings.jobTimeoutMs,
    changeAlertThreshold: settings.changeAlertThreshold,
    runtimeAlertMs: settings.runtimeAlertMs,
    archiveRetentionDays: settings.archiveRetentionDays,
  });
  let closing: Promise<void> | undefined;
  return {
    sync,
    // Idempotent: a signal and a finally block may both ask.
    close: () =>
      (closing ??= (async () => {
        await sync.close();
        if (!options.erpClient) client.close();
        archive.close?.();
      })()),
  };
}
