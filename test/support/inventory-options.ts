import type { StockEventBus } from '../../lib/events/stock-event-bus.js';
import type { InventorySubgraphOptions } from '../../subgraphs/inventory/index.js';
import { TEST_DATABASE_URL } from './database.js';
import { TEST_GATEWAY_SECRET } from './gateway-signing.js';
import type { UpstreamFixture } from './upstream-fixture.js';

/**
 * An inventory subgraph's options for a test: any port, the fixture's ERP and
 * POS, its ledger in PostgreSQL schema `schema` (undefined: in-memory PGlite),
 * no webhook secrets unless `extra` gives some, test/support's gateway signing secret.
 */
export function inventoryOptions(
  upstreams: UpstreamFixture,
  bus: StockEventBus,
  schema: string | undefined,
  extra: Partial<InventorySubgraphOptions> = {},
): InventorySubgraphOptions {
  return {
    port: 0,
    database: schema ? { url: TEST_DATABASE_URL, schema } : {},
    erp: upstreams.erpConfig,
    pos: upstreams.posConfig,
    logger: upstreams.logger,
    bus,
    webhook: { secrets: {}, toleranceSeconds: 300 },
    gatewaySigningSecret: TEST_GATEWAY_SECRET,
    ...extra,
  };
}
