import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_GATEWAY_SIGNING_SECRET, DEV_POS_WEBHOOK_SECRET, loadConfig } from './config.js';
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
    const message = (() => {
      try {
        loadConfig({ RATE_LIMIT_CLIENTS: '{', ERP_SYNC_CRON: 'every night', AUTH_EXTERNAL_ISSUERS: '[{"issuer": "x"}]' });
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(message).toContain('RATE_LIMIT_CLIENTS: not JSON');
    expect(message).toContain('ERP_SYNC_CRON: not a cron expression');
    expect(message).toContain('AUTH_EXTERNAL_ISSUERS.0.jwksUri: Required');
  });

  it('reads the ERP sync, auth and limit settings into their sections', () => {
    const config = loadConfig({ ERP_SYNC_CRON: 'off', ERP_SYNC_RETRY_DELAYS_MS: '1, 2', RATE_LIMIT_CLIENTS: '{"partner-acme": {"perMinute": 60, "burst": 5}}' });
    expect(config.inventory.erpSync).toMatchObject({ schedule: { full: undefined, incremental: '30 * * * *' }, retryDelaysMs: [1, 2], jobTimeoutMs: 1_800_000 });
    expect(config.gateway.rateLimits.perClient).toEqual({ 'partner-acme': { capacity: 5, perMinute: 60 } });
    expect(config.gateway.rateLimits.failOpen).toBe(true);
    expect(config.auth).toMatchObject({ issuer: 'commerce-graph', tokenTtlSeconds: 900, externalIssuers: [] });
  });

  it('shares one gateway signing secret and POS webhook secrets: documented defaults in development, required in production', () => {
    expect(loadConfig({}).gatewaySigningSecret).toBe(DEV_GATEWAY_SIGNING_SECRET);
    expect(loadConfig({ NODE_ENV: 'test' }).gatewaySigningSecret).toBe(DEV_GATEWAY_SIGNING_SECRET);
    const secret = 'a-production-secret-of-at-least-32-chars';
    const pos = 'pos-main=a-production-pos-secret';
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: secret, POS_WEBHOOK_SECRETS: pos }).gatewaySigningSecret).toBe(secret);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_SIGNING_SECRET: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: DEV_GATEWAY_SIGNING_SECRET })).toThrow(/GATEWAY_SIGNING_SECRET: required in production/);
    expect(() => loadConfig({ GATEWAY_SIGNING_SECRET: 'too-short' })).toThrow(/GATEWAY_SIGNING_SECRET: at least 32 characters/);
    // The POS webhook's development secret likewise.
    expect(() => loadConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: secret })).toThrow(/POS_WEBHOOK_SECRETS: required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: secret, POS_WEBHOOK_SECRETS: `pos-main=${DEV_POS_WEBHOOK_SECRET}` })).toThrow(/POS_WEBHOOK_SECRETS/);
    // Named with every other bad value, not instead of them.
    expect(() => loadConfig({ NODE_ENV: 'production', PORT: 'eighty' })).toThrow(/PORT.*GATEWAY_SIGNING_SECRET/s);
  });

  it('is documented in README as `npm run docs:config` prints it', async () => {
    const readme = await readFile(join(projectRoot(), 'README.md'), 'utf8');
    expect(readme).toContain(configTable());
  });
});
