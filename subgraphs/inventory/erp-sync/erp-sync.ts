import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import type { Database } from '../../../lib/db/database.js';
import type { Logger } from '../../../lib/logger.js';
import type { ErpWarehouse } from '../connectors/erp-connector.js';
import { ARCHIVE_PREFIX, archiveKey, type ArchiveStore } from './archive-store.js';
import { downloadErpInventory, type ErpDownloadOptions } from './erp-inventory-download.js';
import { CREATE_STAGING, stageErpPayload } from './erp-payload-stager.js';
import type { SyncAlerts } from './sync-alert.js';
import { applyStagedInventory } from './sync-apply.js';
import { recordSyncJobMetrics } from './sync-job-metrics.js';
import { SyncJobRepository, type SyncJobMetrics, type SyncJobRecord, type SyncMode } from './sync-job-repository.js';
import type { SyncProgressListener } from './sync-progress.js';

export interface ErpSyncOptions {
  db: Database;
  /** How payloads are fetched: the ERP's URL and token, per-attempt timeout, the retry waits, and the ERP's circuit breaker. */
  download: Omit<ErpDownloadOptions, 'logger'>;
  /** The ERP's warehouses (`GET /warehouses`): each one's inventory is synced. */
  listWarehouses: () => Promise<ErpWarehouse[]>;
  archive: ArchiveStore;
  alerts: SyncAlerts;
  logger: Logger;
  /** Called after a job's changes commit: the outbox relay publishes its events. */
  onCommitted?: () => void;
  /** A job still running after this is stopped and failed; a `running` row older than it is a dead job's. @default 1800000 (30 min) */
  jobTimeoutMs?: number;
  /** Alert when a job changes more items than this. @default 10000 */
  changeAlertThreshold?: number;
  /** Alert when a job runs longer than this. @default 900000 (15 min) */
  runtimeAlertMs?: number;
  /** Archives older than this many days are deleted after each job. @default 30 */
  archiveRetentionDays?: number;
  /** Where payloads are downloaded to before they are archived and applied. @default os.tmpdir() */
  workDirectory?: string;
  now?: () => Date;
}

export interface RunRequest {
  mode: SyncMode;
  /** Who asked: `schedule`, `cli`, `api`. */
  triggeredBy: string;
  onProgress?: SyncProgressListener;
}

/** Asking for a job: it started (and `done` settles when it ends, never rejecting), or one was running. */
export type RunOutcome = { status: 'started'; job: SyncJobRecord; done: Promise<SyncJobRecord> } | { status: 'overlap'; running: SyncJobRecord };

/**
 * The nightly ERP inventory sync (spec 002), one job at a time across every
 * process sharing the database: warehouses from the ERP, each one's
 * inventory downloaded (with retries) to a file, the raw payloads archived,
 * then staged and applied in one transaction, with drift, metrics and alerts
 * recorded on the job, and the job's outcome, run time and records in
 * Prometheus as it ends. INCREMENTAL asks the ERP only for what changed since
 * the last completed job started.
 */
export class ErpSync {
  readonly jobs: SyncJobRepository;
  private readonly stopping = new AbortController();
  /** Starts and jobs under way: close() waits for them, so none writes to a closed database. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: ErpSyncOptions) {
    this.jobs = new SyncJobRepository(options.db);
  }

  private get jobTimeoutMs() {
    return this.options.jobTimeoutMs ?? 30 * 60_000;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Starts a job unless one is running anywhere (then alerts and returns the running one). */
  run(request: RunRequest): Promise<RunOutcome> {
    if (this.stopping.signal.aborted) return Promise.reject(new Error('The ERP sync is shutting down.'));
    const starting = this.start(request);
    const whole = starting.then((outcome) => (outcome.status === 'started' ? outcome.done : undefined)).catch(() => undefined);
    this.inFlight.add(whole);
    void whole.finally(() => this.inFlight.delete(whole));
    return starting;
  }

  private async start(request: RunRequest): Promise<RunOutcome> {
    const { logger, alerts } = this.options;
    const lastStart = request.mode === 'INCREMENTAL' ? await this.jobs.lastCompletedStart() : undefined;
    // The database's clock stamped it, the ERP's compares it: a margin covers the skew (re-reading a level changes nothing).
    const modifiedSince = lastStart && new Date(lastStart.getTime() - CLOCK_SKEW_MARGIN_MS);
    const begun = await this.jobs.begin({
      mode: request.mode,
      triggeredBy: request.triggeredBy,
      timeoutMs: this.jobTimeoutMs,
      graceMs: DEAD_JOB_GRACE_MS,
      ...(modifiedSince ? { modifiedSince } : {}),
    });
    for (const dead of begun.recovered) logger.warn({ jobId: dead.id, startedAt: dead.startedAt }, 'ERP sync job found dead (still running past its deadline): marked failed');
    if ('running' in begun) {
      const { running } = begun;
      logger.warn({ runningJobId: running.id, mode: request.mode, triggeredBy: request.triggeredBy }, 'ERP sync not started: another job is running');
      // Replicas that share a schedule all fire at the same tick: one wins, and the others losing is no news.
      const sameTick = request.triggeredBy === 'schedule' && running.triggeredBy === 'schedule' && running.mode === request.mode && this.now().getTime() - running.startedAt.getTime() < SAME_TICK_MS;
      if (!sameTick) await alerts.send({ kind: 'overlap', runningJobId: running.id, runningSince: running.startedAt });
      return { status: 'overlap', running };
    }
    return { status: 'started', job: begun.started, done: this.execute(begun.started, request) };
  }

  /** Stops running jobs (they are recorded as failed) and waits for them. */
  async close(): Promise<void> {
    this.stopping.abort(new Error('The process is shutting down.'));
    await Promise.allSettled([...this.inFlight]);
  }

  private async execute(job: SyncJobRecord, request: RunRequest): Promise<SyncJobRecord> {
    const { logger, alerts } = this.options;
    const log = logger.child({ jobId: job.id, mode: job.mode });
    const started = performance.now();
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.jobTimeoutMs)]);
    const runtimeAlertMs = this.options.runtimeAlertMs ?? 15 * 60_000;
    const slow = setTimeout(() => void alerts.send({ kind: 'slow', jobId: job.id, runtimeMs: performance.now() - started, thresholdMs: runtimeAlertMs }), runtimeAlertMs);
    slow.unref();
    const metrics: Partial<SyncJobMetrics> = {};
    let workDirectory: string | undefined;
    try {
      workDirectory = await mkdtemp(join(this.options.workDirectory ?? tmpdir(), 'erp-sync-'));
      log.info({ modifiedSince: job.modifiedSince, triggeredBy: job.triggeredBy }, 'ERP sync started');
      await this.sync(job, request, workDirectory, signal, log, metrics, started);
      const durationMs = performance.now() - started;
      const finished = await this.jobs.complete(job.id, metrics as SyncJobMetrics, durationMs);
      recordSyncJobMetrics(finished, 'succeeded', durationMs, finished.completedAt ?? new Date());
      if (finished.status !== 'completed') log.warn({ status: finished.status }, 'ERP sync applied, but another process had already taken it for dead');
      log.info(
        {
          skusProcessed: finished.skusProcessed,
          itemsChanged: finished.itemsChanged,
          eventsEmitted: finished.eventsEmitted,
          invalidRecords: finished.invalidRecords,
          apiLatencyMs: finished.apiLatencyMs,
          durationMs: finished.durationMs,
          archivePath: finished.archivePath,
          levelsDiffering: finished.drift?.levelsDiffering,
        },
        'ERP sync completed',
      );
      const threshold = this.options.changeAlertThreshold ?? 10_000;
      if (finished.itemsChanged > threshold) await alerts.send({ kind: 'many-changes', jobId: job.id, itemsChanged: finished.itemsChanged, threshold });
      return finished;
    } catch (err) {
      const message = signal.aborted && !this.stopping.signal.aborted ? `Stopped after the job timeout (${duration(this.jobTimeoutMs)}).` : errorMessage(err);
      log.error({ err }, 'ERP sync failed: nothing applied');
      const durationMs = performance.now() - started;
      const failed = await this.jobs.fail(job.id, message, metrics, durationMs).catch((recordError: unknown) => {
        log.error({ err: recordError }, 'could not record the failed ERP sync: the next start will find it dead');
        return { ...job, status: 'failed' as const, errorMessage: message };
      });
      recordSyncJobMetrics(failed, 'failed', durationMs, failed.completedAt ?? new Date());
      await alerts.send({ kind: 'failed', jobId: job.id, message });
      return failed;
    } finally {
      clearTimeout(slow);
      if (workDirectory) await rm(workDirectory, { recursive: true, force: true }).catch((err: unknown) => log.warn({ err, workDirectory }, 'could not remove the sync\'s work folder'));
    }
  }

  /**
   * Fetch, archive, then stage and apply in one transaction; fills `metrics`
   * as each step ends, so a failed job still records how far it got (latency,
   * archive, drift).
   */
  private async sync(
    job: SyncJobRecord,
    request: RunRequest,
    workDirectory: string,
    signal: AbortSignal,
    log: Logger,
    metrics: Partial<SyncJobMetrics>,
    startedAt: number,
  ): Promise<void> {
    const progress = request.onProgress;
    signal.throwIfAborted();
    const warehouses = await this.options.listWarehouses();
    if (warehouses.length === 0) throw new Error('The ERP lists no warehouses.');
    const files: Array<{ warehouse: ErpWarehouse; path: string }> = [];
    let apiLatencyMs = 0;
    for (const warehouse of warehouses) {
      const path = join(workDirectory, `${files.length}.json`);
      const fetched = await downloadErpInventory(
        { ...this.options.download, logger: log },
        { warehouseId: warehouse.id, ...(job.modifiedSince ? { modifiedSince: job.modifiedSince } : {}) },
        path,
        { signal, onBytes: (bytes, attempt) => progress?.({ phase: 'fetch', warehouseId: warehouse.id, attempt, bytes, done: false }) },
      );
      apiLatencyMs += fetched.latencyMs;
      metrics.apiLatencyMs = apiLatencyMs;
      progress?.({ phase: 'fetch', warehouseId: warehouse.id, attempt: fetched.attempts, bytes: fetched.bytes, done: true });
      files.push({ warehouse, path });
    }

    // The raw payloads, as received, before anything is applied (spec 002).
    const archiveFile = join(workDirectory, 'archive.json');
    await writeArchive(archiveFile, files.map((f) => [f.warehouse.id, f.path]));
    const archivePath = await this.options.archive.put(archiveKey(job.startedAt), archiveFile);
    metrics.archivePath = archivePath;
    progress?.({ phase: 'archive', path: archivePath });
    await this.pruneArchives(log);
    signal.throwIfAborted();

    const applied = await this.options.db.transaction(async (tx) => {
      // Bounded by what is left of the job's time, lock waits included: the database stops too when the job's timeout fires.
      const left = Math.max(1_000, Math.round(this.jobTimeoutMs - (performance.now() - startedAt)));
      await tx.query(`SET LOCAL statement_timeout = ${left}`);
      await tx.query(`SET LOCAL lock_timeout = ${left}`);
      await tx.query(CREATE_STAGING);
      await tx.query(
        `INSERT INTO locations (id, name, type, source)
         SELECT id, name, 'WAREHOUSE', 'erp' FROM unnest($1::text[], $2::text[]) AS w (id, name)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE locations.name IS DISTINCT FROM EXCLUDED.name`,
        [warehouses.map((w) => w.id), warehouses.map((w) => w.name)],
      );
      let invalid = 0;
      for (const { warehouse, path } of files) {
        const staged = await stageErpPayload(tx, path, warehouse.id, log, (records, bad) =>
          progress?.({ phase: 'stage', warehouseId: warehouse.id, records, invalid: bad, done: false }),
        );
        invalid += staged.invalid;
        progress?.({ phase: 'stage', warehouseId: warehouse.id, records: staged.staged, invalid: staged.invalid, done: true });
        signal.throwIfAborted();
      }
      const result = await applyStagedInventory(tx, {
        mode: job.mode,
        warehouseIds: warehouses.map((w) => w.id),
        now: this.now(),
        logger: log,
        onDrift: (drift) => void (metrics.drift = drift),
      });
      signal.throwIfAborted();
      return { ...result, invalid: invalid + result.duplicates };
    });
    progress?.({ phase: 'apply', itemsChanged: applied.itemsChanged, events: applied.eventsEmitted, done: true });
    this.options.onCommitted?.();
    Object.assign(metrics, {
      skusProcessed: applied.skusProcessed,
      itemsChanged: applied.itemsChanged,
      eventsEmitted: applied.eventsEmitted,
      invalidRecords: applied.invalid,
      discontinued: applied.discontinued,
    });
  }

  /** Deletes archives past retention; a failure is logged, not fatal (the next job tries again). */
  private async pruneArchives(log: Logger): Promise<void> {
    const days = this.options.archiveRetentionDays ?? 30;
    const olderThan = new Date(this.now().getTime() - days * 86_400_000);
    try {
      const deleted = await this.options.archive.deleteOlderThan(ARCHIVE_PREFIX, olderThan);
      if (deleted > 0) log.info({ deleted, olderThan }, 'old ERP sync archives deleted');
    } catch (err) {
      log.warn({ err }, 'could not delete old ERP sync archives');
    }
  }
}

/** How far the database's and the ERP's clocks may disagree: an incremental sync asks for that much more. */
const CLOCK_SKEW_MARGIN_MS = 60_000;
/** How long past its deadline a `running` job must be before another process takes it for dead. */
const DEAD_JOB_GRACE_MS = 5 * 60_000;
/** Scheduled starts this close together are the same cron tick on several replicas. */
const SAME_TICK_MS = 60_000;

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
const duration = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : ms >= 1_000 ? `${Math.round(ms / 1_000)} s` : `${ms} ms`);

/** `{"WH-01": <payload>, "WH-02": <payload>}`: every warehouse's payload byte for byte, in one JSON document. */
async function writeArchive(path: string, parts: Array<[string, string]>): Promise<void> {
  // pipeline: a read or write error (a full disk) rejects here and closes both ends.
  await pipeline(async function* () {
    for (const [i, [warehouseId, file]] of parts.entries()) {
      yield Buffer.from(`${i === 0 ? '{' : ','}${JSON.stringify(warehouseId)}:`);
      yield* createReadStream(file);
    }
    yield Buffer.from(parts.length === 0 ? '{}' : '}');
  }, createWriteStream(path));
}
