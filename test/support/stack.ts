import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack, type RunningStack } from '../../bin/start-stack.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from './database.js';
import { TEST_GATEWAY_SECRET } from './gateway-signing.js';
import { TEST_LOG_LEVEL } from './logger.js';

export { signedFetch } from './gateway-signing.js';
export { graphql, type GraphQLResponse } from './graphql-client.js';
export { resetUpstreamCalls, setFaults, upstreamCalls } from './simulator-admin.js';

/**
 * The whole stack in this process, every server on port 0, PostgreSQL for real
 * in a schema of its own (dropped on close). `env` overrides any setting.
 */
export async function startTestStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const schema = uniqueSchema('e2e');
  const archiveDirectory = join(tmpdir(), `commerce-graph-${schema}-archive`);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: TEST_LOG_LEVEL,
    PORT: '0',
    PRODUCT_PORT: '0',
    INVENTORY_PORT: '0',
    CUSTOMER_PORT: '0',
    ORDER_PORT: '0',
    MAGENTO_SIM_PORT: '0',
    CRM_SIM_PORT: '0',
    ERP_SIM_PORT: '0',
    POS_SIM_PORT: '0',
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: schema,
    SIM_SKUS: '300',
    SIM_CUSTOMERS: '400',
    UPSTREAM_RETRIES: '0',
    // The secret test/support signs direct subgraph calls with (gateway-signing.ts).
    GATEWAY_SIGNING_SECRET: TEST_GATEWAY_SECRET,
    // No sync starts on its own mid-test; archives go to a folder of this stack's.
    ERP_SYNC_CRON: 'off',
    ERP_SYNC_INCREMENTAL_CRON: 'off',
    ERP_SYNC_ARCHIVE_DIR: archiveDirectory,
    ERP_SYNC_RETRY_DELAYS_MS: '10,20,40',
    // Tests send bursts from one address; the rate-limit test sets its own.
    RATE_LIMIT_ANONYMOUS_BURST: '1000000',
    RATE_LIMIT_CLIENT_BURST: '1000000',
    ...env,
  });
  // The stack's own level, which `env` may have set.
  const stack = await startStack(config, createLogger('test', config.logLevel));
  return {
    ...stack,
    close: async () => {
      await stack.close();
      if (config.databaseUrl) await dropSchema(schema);
      await rm(archiveDirectory, { recursive: true, force: true });
    },
  };
}
