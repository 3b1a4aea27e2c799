import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { configTable } from './config-docs.js';
import { projectRoot } from './project-root.js';

describe('loadConfig', () => {
  it('runs on defaults alone: no database, no Redis, the documented ports', () => {
    const config = loadConfig({});
    expect(config.gateway.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.upstreams.erp).toMatchObject({ url: 'http://127.0.0.1:4103', timeoutMs: 30_000 });
    expect(config.simulators.sizes).toEqual({ skus: 2000, warehouses: 2, stores: 20, customers: 5000 });
  });

  it('lets a per-system fault knob override the global one', () => {
    const config = loadConfig({ SIM_LATENCY_MS: '50', ERP_SIM_LATENCY_MS: '5', POS_SIM_OUTAGE: 'true' });
    expect(config.simulators.faults.magento.latencyMs).toBe(50);
    expect(config.simulators.faults.erp.latencyMs).toBe(5);
    expect(config.simulators.faults.pos.outage).toBe(true);
    expect(config.simulators.faults.crm.outage).toBe(false);
  });

  it('treats an empty URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' })).toMatchObject({ databaseUrl: undefined, redisUrl: undefined });
  });

  it('refuses bad values, naming every one', () => {
    expect(() => loadConfig({ PORT: 'eighty', SIM_ERROR_RATE: '2' })).toThrow(/PORT.*SIM_ERROR_RATE/s);
  });

  it('is documented in README as `npm run docs:config` prints it', async () => {
    const readme = await readFile(join(projectRoot(), 'README.md'), 'utf8');
    expect(readme).toContain(configTable());
  });
});
