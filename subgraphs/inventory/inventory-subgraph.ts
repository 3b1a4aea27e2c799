import type { UpstreamConfig } from '../../lib/config.js';
import { isReachable, openDatabase, type DatabaseOptions } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import { serveSubgraph } from '../../lib/graphql/serve-subgraph.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import type { Logger } from '../../lib/logger.js';
import { createErpConnector } from './connectors/erp-connector.js';
import { createPosConnector } from './connectors/pos-connector.js';
import { inventoryContext } from './inventory-context.js';
import { createInventorySchema } from './inventory-schema.js';
import { loadLedgerOnFirstStart, type InitialLoadResult } from './ledger/initial-load.js';
import { LedgerRepository } from './ledger/ledger-repository.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from './ledger/migrations.js';

export interface InventorySubgraphOptions {
  port: number;
  host?: string;
  database: Pick<DatabaseOptions, 'url' | 'pgliteDataDir' | 'schema'>;
  erp: UpstreamConfig;
  pos: UpstreamConfig;
  logger: Logger;
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
 * ledger from the ERP and the POS on first start, then is ready. GraphQL reads
 * only ever hit the ledger. If the load fails and start awaits it, start
 * rejects, having closed everything: the orchestrator restarts it, and the
 * rolled-back load runs again.
 */
export async function startInventorySubgraph(options: InventorySubgraphOptions): Promise<RunningInventorySubgraph> {
  const { logger } = options;
  const db = await openDatabase(options.database);
  let server: RunningServer | undefined;
  try {
    const applied = await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
    if (applied.length > 0) logger.info({ applied }, 'ledger migrated');
    const ledger = new LedgerRepository(db);
    const stopping = new AbortController();
    let loaded = false;

    server = await serveSubgraph({
      name: 'inventory',
      schema: await createInventorySchema(),
      context: inventoryContext(ledger),
      logger,
      port: options.port,
      host: options.host,
      // Ready once the ledger is loaded and still answers; never touches the database before (a load holds it).
      ready: async () => loaded && (await isReachable(db)),
    });

    const erp = createErpConnector(options.erp, logger.child({ upstream: 'erp' }));
    const pos = createPosConnector(options.pos, logger.child({ upstream: 'pos' }));
    const initialLoad = loadLedgerOnFirstStart(db, { erp, pos }, logger, { signal: stopping.signal })
      .then((result) => {
        loaded = true;
        return result;
      })
      .finally(() => {
        // The ERP and the POS are only read on first start: their keep-alive sockets need not outlive it.
        erp.close();
        pos.close();
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
          await listening.close();
          await initialLoad.catch(() => undefined);
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
    if (!server) await db.close().catch(() => undefined);
    throw err;
  }
}
