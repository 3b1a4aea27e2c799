import type { Database } from '../../../lib/db/database.js';

export type SyncMode = 'FULL' | 'INCREMENTAL';
export type SyncJobStatus = 'running' | 'completed' | 'failed';

/** Where the ERP snapshot and the ledger disagreed, recorded before the snapshot is applied. */
export interface SyncDrift {
  /** Levels in the snapshot whose quantity differs from the ledger's (SKUs the ledger lacks included). */
  levelsDiffering: number;
  /** Levels in the snapshot the ledger did not have at all. */
  unknownToLedger: number;
  /** FULL only: the ledger's levels at the synced warehouses that the snapshot does not list (left as they are). */
  missingFromErp: number;
  /** The largest differences, largest first. */
  largest: Array<{ sku: string; locationId: string; erp: number; ledger: number; difference: number }>;
}

/** What a finished (or failed) job measured. */
export interface SyncJobMetrics {
  skusProcessed: number;
  itemsChanged: number;
  eventsEmitted: number;
  invalidRecords: number;
  discontinued: number;
  apiLatencyMs?: number;
  archivePath?: string;
  drift?: SyncDrift;
}

export interface SyncJobRecord extends SyncJobMetrics {
  id: string;
  mode: SyncMode;
  status: SyncJobStatus;
  triggeredBy: string;
  startedAt: Date;
  completedAt?: Date;
  modifiedSince?: Date;
  durationMs?: number;
  errorMessage?: string;
}

interface Row {
  id: string;
  mode: SyncMode;
  status: SyncJobStatus;
  triggered_by: string;
  started_at: Date | string;
  completed_at: Date | string | null;
  modified_since: Date | string | null;
  skus_processed: number;
  items_changed: number;
  events_emitted: number;
  invalid_records: number;
  discontinued: number;
  api_latency_ms: number | null;
  duration_ms: number | null;
  error_message: string | null;
  s3_backup_path: string | null;
  drift: SyncDrift | string | null;
}

const COLUMNS = `id::text AS id, mode, status, triggered_by, started_at, completed_at, modified_since, skus_processed, items_changed,
  events_emitted, invalid_records, discontinued, api_latency_ms, duration_ms, error_message, s3_backup_path, drift`;

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

function toRecord(row: Row): SyncJobRecord {
  return {
    id: row.id,
    mode: row.mode,
    status: row.status,
    triggeredBy: row.triggered_by,
    startedAt: toDate(row.started_at),
    ...(row.completed_at ? { completedAt: toDate(row.completed_at) } : {}),
    ...(row.modified_since ? { modifiedSince: toDate(row.modified_since) } : {}),
    skusProcessed: row.skus_processed,
    itemsChanged: row.items_changed,
    eventsEmitted: row.events_emitted,
    invalidRecords: row.invalid_records,
    discontinued: row.discontinued,
    ...(row.api_latency_ms !== null ? { apiLatencyMs: row.api_latency_ms } : {}),
    ...(row.duration_ms !== null ? { durationMs: row.duration_ms } : {}),
    ...(row.error_message !== null ? { errorMessage: row.error_message } : {}),
    ...(row.s3_backup_path !== null ? { archivePath: row.s3_backup_path } : {}),
    ...(row.drift !== null ? { drift: typeof row.drift === 'string' ? (JSON.parse(row.drift) as SyncDrift) : row.drift } : {}),
  };
}

/** The outcome of asking to start a job: started, or refused because one is running. */
export type BeginResult =
  | { started: SyncJobRecord; recovered: SyncJobRecord[] }
  | { running: SyncJobRecord; recovered: SyncJobRecord[] };

/** `sync_jobs`: the job log, and (its one-running index) the overlap lock. */
export class SyncJobRepository {
  constructor(private readonly db: Database) {}

  /**
   * Starts a job unless one is running. The job's own timeout stops it by
   * `deadline_at` (`timeoutMs` from now, written on its row, so every process
   * judges it alike); a job still `running` `graceMs` after its deadline died
   * with its process: it is marked failed, and no longer blocks.
   */
  async begin(options: { mode: SyncMode; triggeredBy: string; modifiedSince?: Date; timeoutMs: number; graceMs: number }): Promise<BeginResult> {
    return this.db.transaction(async (tx) => {
      const { rows: recovered } = await tx.query<Row>(
        `UPDATE sync_jobs
            SET status = 'failed', completed_at = now(),
                error_message = 'Still running ' || ($1::int / 1000) || ' s past its deadline: presumed dead (its process stopped), so no longer blocking'
          WHERE status = 'running' AND deadline_at < now() - make_interval(secs => $1::int / 1000.0)
          RETURNING ${COLUMNS}`,
        [options.graceMs],
      );
      const { rows } = await tx.query<Row>(
        `INSERT INTO sync_jobs (mode, status, triggered_by, modified_since, deadline_at)
         VALUES ($1, 'running', $2, $3, now() + make_interval(secs => $4::int / 1000.0))
         ON CONFLICT (status) WHERE status = 'running' DO NOTHING
         RETURNING ${COLUMNS}`,
        [options.mode, options.triggeredBy, options.modifiedSince ?? null, options.timeoutMs],
      );
      const recoveredJobs = recovered.map(toRecord);
      if (rows[0]) return { started: toRecord(rows[0]), recovered: recoveredJobs };
      const { rows: running } = await tx.query<Row>(`SELECT ${COLUMNS} FROM sync_jobs WHERE status = 'running'`);
      if (!running[0]) throw new Error('A sync job blocked the start but is no longer running: try again.');
      return { running: toRecord(running[0]), recovered: recoveredJobs };
    });
  }

  /** Records a job's success and what it measured. */
  async complete(id: string, metrics: SyncJobMetrics, durationMs: number): Promise<SyncJobRecord> {
    return this.finish(id, 'completed', metrics, durationMs);
  }

  /** Records a job's failure, with whatever it had measured. */
  async fail(id: string, message: string, metrics: Partial<SyncJobMetrics>, durationMs: number): Promise<SyncJobRecord> {
    return this.finish(id, 'failed', metrics, durationMs, message);
  }

  /** When the last completed job started: an incremental sync asks for what changed since. */
  async lastCompletedStart(): Promise<Date | undefined> {
    const { rows } = await this.db.query<{ started_at: Date | string }>(
      `SELECT started_at FROM sync_jobs WHERE status = 'completed' ORDER BY started_at DESC LIMIT 1`,
    );
    return rows[0] ? toDate(rows[0].started_at) : undefined;
  }

  /** The newest `last` jobs, newest first. */
  async list(last: number): Promise<SyncJobRecord[]> {
    // `sync_jobs.id`, the bigint: a bare `id` would be the text alias, and job 9 would sort above job 10.
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM sync_jobs ORDER BY sync_jobs.id DESC LIMIT $1`, [last]);
    return rows.map(toRecord);
  }

  async get(id: string): Promise<SyncJobRecord | undefined> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM sync_jobs WHERE id = $1::bigint`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  private async finish(id: string, status: SyncJobStatus, m: Partial<SyncJobMetrics>, durationMs: number, errorMessage?: string): Promise<SyncJobRecord> {
    const { rows } = await this.db.query<Row>(
      `UPDATE sync_jobs
          SET status = $2, completed_at = now(), duration_ms = $3, error_message = $4,
              skus_processed = $5, items_changed = $6, events_emitted = $7, invalid_records = $8, discontinued = $9,
              api_latency_ms = $10, s3_backup_path = $11, drift = $12::jsonb
        WHERE id = $1::bigint AND status = 'running'
        RETURNING ${COLUMNS}`,
      [
        id,
        status,
        Math.round(durationMs),
        errorMessage ?? null,
        m.skusProcessed ?? 0,
        m.itemsChanged ?? 0,
        m.eventsEmitted ?? 0,
        m.invalidRecords ?? 0,
        m.discontinued ?? 0,
        m.apiLatencyMs === undefined ? null : Math.round(m.apiLatencyMs),
        m.archivePath ?? null,
        m.drift ? JSON.stringify(m.drift) : null,
      ],
    );
    if (rows[0]) return toRecord(rows[0]);
    // Another process took it for dead meanwhile: its verdict stands.
    const current = await this.get(id);
    if (!current) throw new Error(`No sync job ${id}`);
    return current;
  }
}
