import { metrics } from '../../../lib/observability/metrics.js';
import type { SyncJobRecord } from './sync-job-repository.js';

/** `succeeded`: the job's changes were applied; `failed`: nothing was. */
export type SyncJobOutcome = 'succeeded' | 'failed';

/**
 * Records a finished job in Prometheus: `erp_sync_jobs_total`,
 * `erp_sync_duration_seconds`, `erp_sync_records_total` (records applied and
 * rejected) and, on success, `erp_sync_last_success_timestamp_seconds`, each
 * by `kind` (`full`, `incremental`). The outcome is what this process did, not
 * the record's final status: a job another process took for dead meanwhile
 * still applied its changes, and the ledger is as fresh as the gauge says.
 */
export function recordSyncJobMetrics(job: Pick<SyncJobRecord, 'mode' | 'skusProcessed' | 'invalidRecords'>, outcome: SyncJobOutcome, durationMs: number, finishedAt: Date): void {
  const kind = job.mode.toLowerCase();
  metrics.syncJobs.inc({ kind, outcome });
  metrics.syncDuration.observe({ kind }, durationMs / 1000);
  // A failed job rolled back: it applied nothing, and its rejected records are read again by the next one.
  if (outcome === 'succeeded') {
    metrics.syncRecords.inc({ kind, result: 'applied' }, job.skusProcessed);
    metrics.syncRecords.inc({ kind, result: 'rejected' }, job.invalidRecords);
    metrics.syncLastSuccess.set({ kind }, finishedAt.getTime() / 1000);
  }
}
