import { Cron } from 'croner';
import type { Logger } from '../../../lib/logger.js';
import type { ErpSync } from './erp-sync.js';
import type { SyncMode } from './sync-job-repository.js';

export interface SyncSchedule {
  /** Cron expression (UTC) of the full sync; unset: none. */
  full?: string;
  /** Cron expression (UTC) of the incremental sync; unset: none. */
  incremental?: string;
}

/**
 * Runs the ERP sync on its schedule (croner, UTC). Within one process a run
 * still going when the next is due is skipped (`protect`); across processes
 * the job table's lock refuses it, with an overlap alert.
 */
export function scheduleErpSync(sync: ErpSync, schedule: SyncSchedule, logger: Logger): { stop(): void } {
  const run = (mode: SyncMode) => async () => {
    const outcome = await sync.run({ mode, triggeredBy: 'schedule' });
    if (outcome.status === 'started') await outcome.done;
  };
  const start = (mode: SyncMode, pattern: string) =>
    new Cron(
      pattern,
      {
        timezone: 'UTC',
        protect: () => logger.warn({ mode }, 'scheduled ERP sync skipped: the previous run in this process is still going'),
        catch: (err) => logger.error({ err, mode }, 'scheduled ERP sync could not start'),
      },
      run(mode),
    );
  const crons: Array<[SyncMode, Cron]> = [];
  if (schedule.full) crons.push(['FULL', start('FULL', schedule.full)]);
  if (schedule.incremental) crons.push(['INCREMENTAL', start('INCREMENTAL', schedule.incremental)]);
  for (const [mode, cron] of crons) logger.info({ mode, schedule: cron.getPattern(), next: cron.nextRun()?.toISOString() }, 'ERP sync scheduled');
  return { stop: () => crons.forEach(([, cron]) => cron.stop()) };
}
