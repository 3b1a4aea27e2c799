import type { UpstreamConfig } from '../../lib/config.js';
import { isReachable, openDatabase } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import { createUpstreamClient } from '../../lib/http/upstream-client.js';
import type { Logger } from '../../lib/logger.js';
import { serveSubgraph } from '../../lib/graphql/serve-subgraph.js';
import { customerContext } from './customer-context.js';
import { CustomerRepository } from './customer-repository.js';
import { createCustomerSchema } from './customer-schema.js';
import { ingestOnFirstStart } from './ingest-customers.js';
import { CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS } from './migrations.js';

export { createCustomerSchema };

export interface CustomerSubgraphOptions {
  port: number;
  host?: string;
  database: { url?: string; pgliteDataDir?: string; schema?: string };
  crm: UpstreamConfig;
  magento: UpstreamConfig;
  pos: UpstreamConfig;
  logger: Logger;
  /** `GATEWAY_SIGNING_SECRET`: `/graphql` answers only requests the gateway signed with it. */
  gatewaySigningSecret: string;
}

/**
 * The customer subgraph: golden customers in PostgreSQL (or PGlite), loaded
 * from the CRM, Magento and the POS on first start. Resolves once that load is
 * done; `/readyz` answers 503 until then. `close()` also closes the database.
 */
export async function startCustomerSubgraph(options: CustomerSubgraphOptions): Promise<RunningServer> {
  const { logger } = options;
  const db = await openDatabase(options.database);
  let server: RunningServer | undefined;
  try {
    await migrate(db, CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS);
    const repository = new CustomerRepository(db);
    let loaded = false;
    server = await serveSubgraph({
      name: 'customer',
      schema: await createCustomerSchema(),
      context: customerContext(repository),
      logger,
      port: options.port,
      host: options.host,
      gatewaySigningSecret: options.gatewaySigningSecret,
      ready: async () => loaded && (await isReachable(db)),
      onClose: () => db.close(),
    });
    const sources = {
      crm: createUpstreamClient('crm', options.crm),
      magento: createUpstreamClient('magento', options.magento),
      pos: createUpstreamClient('pos', options.pos),
    };
    try {
      await ingestOnFirstStart(repository, sources, logger);
    } finally {
      // The upstreams are only read on first start: their keep-alive sockets need not outlive it.
      for (const client of Object.values(sources)) client.close();
    }
    loaded = true;
    return server;
  } catch (err) {
    // Once serving, closing the server closes the database too.
    await (server ? server.close() : db.close());
    throw err;
  }
}
