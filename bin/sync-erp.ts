/**
 * Runs one ERP inventory sync now, against the inventory subgraph's database:
 * `npm run sync:erp [-- --mode incremental]`. Progress goes to stderr (bars on
 * a terminal, log lines otherwise); the job's record is printed as JSON on
 * stdout at the end. Exit code 0 completed, 1 failed, 3 another job was running.
 * The stock events it writes are published by the inventory subgraph's outbox
 * relay (on its next poll). With the embedded PGlite default the ledger lives
 * in the service's process: use DATABASE_URL, or PGLITE_DATA_DIR while the
 * stack is stopped.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config.js';
import { openDatabase } from '../lib/db/database.js';
import { migrate } from '../lib/db/migrate.js';
import { createLogger } from '../lib/logger.js';
import { createErpSync } from '../subgraphs/inventory/erp-sync/create-erp-sync.js';
import { syncProgressReporter } from '../subgraphs/inventory/erp-sync/sync-progress-reporter.js';
import { INVENTORY_MIGRATIONS, MIGRATION_LOCK } from '../subgraphs/inventory/ledger/migrations.js';
import { databaseFor, erpSyncSettings } from './start-subgraph.js';

const { values } = parseArgs({ options: { mode: { type: 'string', default: 'full' } } });
const mode = values.mode?.toUpperCase();
if (mode !== 'FULL' && mode !== 'INCREMENTAL') {
  console.error('usage: sync-erp [--mode full|incremental]');
  process.exit(2);
}

const config = loadConfig();
if (!config.databaseUrl && !config.pgliteDataDir) {
  // An in-memory PGlite would be a ledger of this process alone: a "completed" sync nobody could read.
  console.error('sync-erp needs the ledger it syncs: set DATABASE_URL (or PGLITE_DATA_DIR while the stack is stopped).');
  process.exit(2);
}
const logger = createLogger('sync-erp', config.logLevel, 'stderr');
const db = await openDatabase(databaseFor(config, 'inventory'));
const { sync, close } = createErpSync({ db, erp: config.upstreams.erp, settings: await erpSyncSettings(config, logger), logger: logger.child({ component: 'erp-sync' }) });
const progress = syncProgressReporter({ stream: process.stderr });
let exitCode = 1;
// Ctrl-C or a kill stops the job, which is recorded as failed, rather than leaving it `running` until its deadline.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
try {
  await migrate(db, MIGRATION_LOCK, INVENTORY_MIGRATIONS);
  const outcome = await sync.run({ mode, triggeredBy: 'cli', onProgress: progress.listener });
  if (outcome.status === 'overlap') {
    progress.stop();
    process.stdout.write(`${JSON.stringify({ refused: 'another sync is running', running: outcome.running })}\n`);
    exitCode = 3;
  } else {
    const job = await outcome.done;
    progress.stop();
    process.stdout.write(`${JSON.stringify(job)}\n`);
    exitCode = job.status === 'completed' ? 0 : 1;
  }
} finally {
  progress.stop();
  await close();
  await db.close();
}
// Exit once what was written has reached the pipes (an exit straight away can cut a pipe's tail).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(exitCode);
