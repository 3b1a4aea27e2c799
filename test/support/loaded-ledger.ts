import type { Database } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import { createErpConnector } from '../../subgraphs/inventory/connectors/erp-connector.js';
import { createPosConnector } from '../../subgraphs/inventory/connectors/pos-connector.js';
import { loadLedgerOnFirstStart } from '../../subgraphs/inventory/ledger/initial-load.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from '../../subgraphs/inventory/ledger/migrations.js';
import type { UpstreamFixture } from './upstream-fixture.js';

/** Migrates `db` and fills it from the fixture's ERP and POS, as the inventory subgraph does on first start. */
export async function loadLedger(db: Database, upstreams: UpstreamFixture): Promise<void> {
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
  const erp = createErpConnector(upstreams.erpConfig, upstreams.logger);
  const pos = createPosConnector(upstreams.posConfig, upstreams.logger);
  try {
    await loadLedgerOnFirstStart(db, { erp, pos }, upstreams.logger);
  } finally {
    erp.close();
    pos.close();
  }
}
