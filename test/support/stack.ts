import { startStack, type RunningStack } from '../../bin/start-stack.js';
import { loadConfig } from '../../lib/config.js';
import { createLogger } from '../../lib/logger.js';
import { TEST_DATABASE_URL, dropSchema, uniqueSchema } from './database.js';

/**
 * The whole stack in this process, every server on port 0, PostgreSQL for real
 * in a schema of its own (dropped on close). `env` overrides any setting.
 */
export async function startTestStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const schema = uniqueSchema('e2e');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
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
    ...env,
  });
  const stack = await startStack(config, createLogger('test', config.logLevel));
  return {
    ...stack,
    close: async () => {
      await stack.close();
      if (config.databaseUrl) await dropSchema(schema);
    },
  };
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

/** POSTs one operation as a client would, and returns status, headers and the parsed body. */
export async function graphql<T = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse<T>['body'] };
}

/** Business requests a simulator served since its last reset (admin and health not counted). */
export async function upstreamCalls(sim: { url: string }, token: string): Promise<{ requests: number; byRoute: Record<string, number> }> {
  const res = await fetch(`${sim.url}/admin/stats`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as { requests: number; byRoute: Record<string, number> };
}

export async function resetUpstreamCalls(sim: { url: string }, token: string): Promise<void> {
  await fetch(`${sim.url}/admin/stats/reset`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

export async function setFaults(sim: { url: string }, token: string, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sim.url}/admin/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`PUT /admin/faults answered ${res.status}`);
}
