import { join, resolve } from 'node:path';
import type { Config, SubgraphName } from '../lib/config.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import type { ArchiveStore } from '../subgraphs/inventory/erp-sync/archive-store.js';
import { localArchiveStore } from '../subgraphs/inventory/erp-sync/local-archive-store.js';
import { slackAlerts } from '../subgraphs/inventory/erp-sync/slack-alerts.js';
import type { ErpSyncSettings } from '../subgraphs/inventory/index.js';

/** Each subgraph's own database settings: one PostgreSQL serves both, PGlite gets a folder each. */
export function databaseFor(config: Config, name: SubgraphName) {
  return { url: config.databaseUrl, schema: config.databaseSchema, pgliteDataDir: config.pgliteDataDir ? join(config.pgliteDataDir, name) : undefined };
}

/** The ERP sync's schedule, limits, archive (local folder or S3 bucket) and Slack alerts, from the config. */
export async function erpSyncSettings(config: Config, logger: Logger): Promise<ErpSyncSettings> {
  const sync = config.inventory.erpSync;
  const { s3 } = sync.archive;
  // The AWS SDK (some 20 MiB of JavaScript) is loaded only when archives go to S3.
  const archive: ArchiveStore = s3
    ? (await import('../subgraphs/inventory/erp-sync/s3-archive-store.js')).s3ArchiveStore({ ...s3, forcePathStyle: s3.endpoint !== undefined })
    : localArchiveStore({ directory: resolve(sync.archive.directory) });
  return {
    schedule: sync.schedule,
    retryDelaysMs: sync.retryDelaysMs,
    attemptTimeoutMs: sync.attemptTimeoutMs,
    jobTimeoutMs: sync.jobTimeoutMs,
    changeAlertThreshold: sync.changeAlertThreshold,
    runtimeAlertMs: sync.runtimeAlertMs,
    archiveRetentionDays: sync.archive.retentionDays,
    archive,
    alerts: slackAlerts({ webhookUrl: sync.alerts.webhookUrl, channel: sync.alerts.channel, logger: logger.child({ component: 'erp-sync-alerts' }) }),
  };
}

/**
 * Starts one subgraph with its settings from the config; `bus` carries the inventory ledger's stock events.
 * Each subgraph's code is imported when it is started, so a process running one subgraph loads that one only.
 */
export async function startSubgraph(name: SubgraphName, config: Config, logger: Logger, bus: StockEventBus): Promise<RunningServer> {
  const common = { port: config.ports[name], host: config.host, logger: logger.child({ service: name }), gatewaySigningSecret: config.gatewaySigningSecret };
  const { magento, crm, erp, pos } = config.upstreams;
  switch (name) {
    case 'product': {
      const { startProductSubgraph } = await import('../subgraphs/product/index.js');
      return startProductSubgraph({ ...common, magento, cache: config.productCache });
    }
    case 'inventory': {
      const { startInventorySubgraph } = await import('../subgraphs/inventory/index.js');
      return startInventorySubgraph({
        ...common,
        database: databaseFor(config, name),
        erp,
        pos,
        bus,
        webhook: { secrets: config.inventory.webhookSecrets, toleranceSeconds: config.inventory.webhookToleranceSeconds },
        outboxPollMs: config.inventory.outboxPollMs,
        erpSync: await erpSyncSettings(config, common.logger),
        streamRetention: config.events.retention,
      });
    }
    case 'customer': {
      const { startCustomerSubgraph } = await import('../subgraphs/customer/index.js');
      return startCustomerSubgraph({ ...common, database: databaseFor(config, name), crm, magento, pos });
    }
    case 'order': {
      const { startOrderSubgraph } = await import('../subgraphs/order/index.js');
      return startOrderSubgraph({ ...common, magento, pos });
    }
  }
}
