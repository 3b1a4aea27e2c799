import { join, resolve } from 'node:path';
import { startGateway, gatewayOptionsFrom } from '../gateway/gateway-server.js';
import type { Config, SubgraphName } from '../lib/config.js';
import type { StockEventBus } from '../lib/events/stock-event-bus.js';
import type { RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import { supergraphPath } from '../lib/project-root.js';
import { startCustomerSubgraph } from '../subgraphs/customer/index.js';
import { localArchiveStore } from '../subgraphs/inventory/erp-sync/local-archive-store.js';
import { s3ArchiveStore } from '../subgraphs/inventory/erp-sync/s3-archive-store.js';
import { slackAlerts } from '../subgraphs/inventory/erp-sync/slack-alerts.js';
import { startInventorySubgraph, type ErpSyncSettings } from '../subgraphs/inventory/index.js';
import { startOrderSubgraph } from '../subgraphs/order/index.js';
import { startProductSubgraph } from '../subgraphs/product/index.js';

/** Each subgraph's own database settings: one PostgreSQL serves both, PGlite gets a folder each. */
export function databaseFor(config: Config, name: SubgraphName) {
  return { url: config.databaseUrl, schema: config.databaseSchema, pgliteDataDir: config.pgliteDataDir ? join(config.pgliteDataDir, name) : undefined };
}

/** The ERP sync's schedule, limits, archive (local folder or S3 bucket) and Slack alerts, from the config. */
export function erpSyncSettings(config: Config, logger: Logger): ErpSyncSettings {
  const sync = config.inventory.erpSync;
  const { s3 } = sync.archive;
  return {
    schedule: sync.schedule,
    retryDelaysMs: sync.retryDelaysMs,
    attemptTimeoutMs: sync.attemptTimeoutMs,
    jobTimeoutMs: sync.jobTimeoutMs,
    changeAlertThreshold: sync.changeAlertThreshold,
    runtimeAlertMs: sync.runtimeAlertMs,
    archiveRetentionDays: sync.archive.retentionDays,
    archive: s3
      ? s3ArchiveStore({ ...s3, forcePathStyle: s3.endpoint !== undefined })
      : localArchiveStore({ directory: resolve(sync.archive.directory) }),
    alerts: slackAlerts({ webhookUrl: sync.alerts.webhookUrl, channel: sync.alerts.channel, logger: logger.child({ component: 'erp-sync-alerts' }) }),
  };
}

/** Starts one subgraph with its settings from the config; `bus` carries the inventory ledger's stock events. */
export function startSubgraph(name: SubgraphName, config: Config, logger: Logger, bus: StockEventBus): Promise<RunningServer> {
  const common = { port: config.ports[name], host: config.host, logger: logger.child({ service: name }), gatewaySigningSecret: config.gatewaySigningSecret };
  const { magento, crm, erp, pos } = config.upstreams;
  switch (name) {
    case 'product':
      return startProductSubgraph({ ...common, magento, cache: config.productCache });
    case 'inventory':
      return startInventorySubgraph({
        ...common,
        database: databaseFor(config, name),
        erp,
        pos,
        bus,
        webhook: { secrets: config.inventory.webhookSecrets, toleranceSeconds: config.inventory.webhookToleranceSeconds },
        outboxPollMs: config.inventory.outboxPollMs,
        erpSync: erpSyncSettings(config, common.logger),
        streamRetention: config.events.retention,
      });
    case 'customer':
      return startCustomerSubgraph({ ...common, database: databaseFor(config, name), crm, magento, pos });
    case 'order':
      return startOrderSubgraph({ ...common, magento, pos });
  }
}

export async function startGatewayFrom(config: Config, logger: Logger, bus: StockEventBus) {
  return startGateway(await gatewayOptionsFrom(config, bus, logger.child({ service: 'gateway' }), supergraphPath()));
}
