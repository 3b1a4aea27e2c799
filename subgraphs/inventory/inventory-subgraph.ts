import type { UpstreamConfig } from '../../lib/config.js';
import { isReachable, openDatabase, type DatabaseOptions } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import type { StockEventBus } from '../../lib/events/stock-event-bus.js';
import { serveSubgraph } from '../../lib/graphql/serve-subgraph.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import { createUpstreamClient, type UpstreamClient } from '../../lib/http/upstream-client.js';
import type { Logger } from '../../lib/logger.js';
import { erpConnector } from './connectors/erp-connector.js';
import { createErpSync, type ErpSyncSettings } from './erp-sync/create-erp-sync.js';
import { scheduleErpSync } from './erp-sync/sync-scheduler.js';
import { posConnector } from './connectors/pos-connector.js';
import { inventoryContext } from './inventory-context.js';
import { createInventorySchema } from './inventory-schema.js';
import { loadLedgerOnFirstStart, type InitialLoadResult } from './ledger/initial-load.js';
import { LedgerRepository } from './ledger/ledger-repository.js';
import { LedgerWriter } from './ledger/ledger-writer.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from './ledger/migrations.js';
import { createOutboxRelay } from './outbox/outbox-relay.js';
import { POS_WEBHOOK_PATH, posWebhookRoute } from './webhooks/pos-webhook-route.js';

export type { ErpSyncSettings } from './erp-sync/create-erp-sync.js';

export interface InventorySubgraphOptions {
  port: number;
  host?: string;
  database: Pick<DatabaseOptions, 'url' | 'pgliteDataDir' | 'schema'>;
  erp: UpstreamConfig;
  pos: UpstreamConfig;
  logger: Logger;
  /** `GATEWAY_SIGNING_SECRET`: `/graphql` answers only requests the gateway signed with it. */
  gatewaySigningSecret: string;
  /**
   * Where committed stock events are published (the outbox relay). Owned by
   * the caller, which closes it after this subgraph.
   */
  bus: StockEventBus;
  /** The POS webhook (`POST /webhooks/pos`): secrets by `x-pos-source`, and how far its timestamp may be off. */
  webhook: { secrets: Record<string, string>; toleranceSeconds: number };
  /** How often the outbox relay looks for events committed by another replica. @default 1000 */
  outboxPollMs?: number;
  /** Events the bus keeps (STOCK_STREAM_RETENTION): at most this many are republished onto a stream that lost them. @default 100000 */
  streamRetention?: number;
  /** The ERP inventory sync: its schedule, limits, archive and alerts. @default not scheduled, spec 002's limits, archives in the OS temp folder, alerts only logged */
  erpSync?: ErpSyncSettings;
  /**
   * Resolve only once the first-start load is done (the default), so callers
   * get a ready service; false: resolve once listening and follow `initialLoad`
   * or `/readyz`.
   */
  awaitInitialLoad?: boolean;
}

export interface RunningInventorySubgraph extends RunningServer {
  /** The first-start load: settles once the ledger is ready (or the load failed). */
  initialLoad: Promise<InitialLoadResult>;
}

/**
 * The inventory subgraph: opens and migrates its ledger, listens (so
 * `/healthz` answers and `/readyz` says 503 during a long load), fills the
 * ledger from the ERP and the POS on first start, then is ready and starts
 * publishing stock events to the bus. GraphQL reads only ever hit the ledger;
 * POS webhooks and `adjustStock` write to it, and the outbox relay publishes
 * what they commit. One ERP client and one POS client serve the process:
 * the first load and every ERP sync share the ERP's circuit breaker, and
 * `/readyz` reports both (`upstreams: { erp, pos }`). If the load fails and
 * start awaits it, start rejects, having closed everything: the orchestrator
 * restarts it, and the rolled-back load runs again.
 */
export async function startInventorySubgraph(options: InventorySubgraphOptions): Promise<RunningInventorySubgraph> {
  const { logger } = options;
  const db = await openDatabase(options.database);
  let server: RunningServer | undefined;
  let upstreams: { erp: UpstreamClient; pos: UpstreamClient } | undefined;
  try {
    const applied = await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
    if (applied.length > 0) logger.info({ applied }, 'ledger migrated');
    const ledger = new LedgerRepository(db);
    const relay = createOutboxRelay({
      ledger,
      bus: options.bus,
      logger: logger.child({ component: 'outbox' }),
      pollMs: options.outboxPollMs,
      retention: options.streamRetention,
    });
    const writer = new LedgerWriter(db, (committed) => relay.wake(committed));
    // One of each for the process's life: syncs call the ERP at any time, and what its breaker learned from one (an outage) spares the next.
    upstreams = { erp: createUpstreamClient('erp', options.erp), pos: createUpstreamClient('pos', options.pos) };
    const clients = upstreams;
    const syncSettings = options.erpSync ?? {};
    const syncLogger = logger.child({ component: 'erp-sync' });
    const { sync: erpSync, close: closeErpSync } = createErpSync({
      db,
      erp: options.erp,
      erpClient: clients.erp,
      settings: syncSettings,
      logger: syncLogger,
      onCommitted: () => relay.wake(),
    });
    let scheduler: { stop(): void } | undefined;
    const stopping = new AbortController();
    let loaded = false;

    server = await serveSubgraph({
      name: 'inventory',
      schema: await createInventorySchema(),
      context: inventoryContext({ ledger, writer, erpSync }),
      logger,
      port: options.port,
      host: options.host,
      gatewaySigningSecret: options.gatewaySigningSecret,
      // Ready once the ledger is loaded and still answers; never touches the database before (a load holds it).
      ready: async () => loaded && (await isReachable(db)),
      // An open breaker does not make the subgraph unready: reads come from the ledger, whatever the ERP's state.
      upstreams: clients,
      routes: {
        [POS_WEBHOOK_PATH]: posWebhookRoute({
          secrets: options.webhook.secrets,
          toleranceSeconds: options.webhook.toleranceSeconds,
          writer,
          logger: logger.child({ component: 'pos-webhook' }),
          ready: () => loaded,
        }),
      },
    });

    const erp = erpConnector(clients.erp, logger.child({ upstream: 'erp' }));
    const pos = posConnector(clients.pos, logger.child({ upstream: 'pos' }));
    const initialLoad = loadLedgerOnFirstStart(db, { erp, pos }, logger, { signal: stopping.signal }).then((result) => {
      loaded = true;
      // Publishes what is committed from now on, and whatever the stream missed while this was down.
      if (!stopping.signal.aborted) relay.start();
      // Scheduled syncs start only on a loaded ledger.
      if (!stopping.signal.aborted && syncSettings.schedule) scheduler = scheduleErpSync(erpSync, syncSettings.schedule, syncLogger);
      return result;
    });
    // Observed here so a caller that does not await it gets no unhandled rejection.
    initialLoad.catch((err: unknown) => logger.error({ err }, 'first-start load failed: the subgraph stays not ready'));

    const listening = server;
    let closed: Promise<void> | undefined;
    const running: RunningInventorySubgraph = {
      ...listening,
      initialLoad,
      // Idempotent: a second close() waits for the first.
      close: () =>
        (closed ??= (async () => {
          stopping.abort();
          scheduler?.stop();
          await listening.close();
          await initialLoad.catch(() => undefined);
          // A running sync is stopped (and recorded as failed) before the database goes.
          await closeErpSync();
          // Nothing calls them any more: their keep-alive sockets and breaker gauges go.
          clients.erp.close();
          clients.pos.close();
          // After the server (no more commits to wake it), before the database (it reads from it).
          await relay.close();
          await db.close();
        })()),
    };
    if (options.awaitInitialLoad ?? true) {
      try {
        await initialLoad;
      } catch (err) {
        await running.close();
        throw err;
      }
    }
    return running;
  } catch (err) {
    if (!server) {
      upstreams?.erp.close();
      upstreams?.pos.close();
      await db.close().catch(() => undefined);
    }
    throw err;
  }
}
