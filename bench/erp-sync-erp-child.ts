/**
 * The benchmark's ERP, in a process of its own: `simulator` or `stand-in`,
 * with N SKUs (bench/erp-sync-erp-server.ts). Prints one `{"ready":…,"url":…}`
 * line once it listens (what bin/ready-child.ts waits for); SIGTERM ends it.
 *
 *   node --import tsx bench/erp-sync-erp-child.ts <simulator|stand-in> <skus>
 */
import { createLogger } from '../lib/logger.js';
import { serveSimulator, serveStandIn } from './erp-sync-erp-server.js';

const [kind, skus] = process.argv.slice(2);
const size = Number(skus);
if (!Number.isSafeInteger(size) || size <= 0 || (kind !== 'simulator' && kind !== 'stand-in')) {
  throw new Error('usage: erp-sync-erp-child.ts <simulator|stand-in> <skus>');
}
const server = kind === 'simulator' ? await serveSimulator(size, createLogger('bench-erp', 'silent')) : await serveStandIn(size);
process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ ready: kind, url: server.url })}\n`);
