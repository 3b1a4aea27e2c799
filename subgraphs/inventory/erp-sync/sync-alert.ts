/** What the operations team is told about an ERP sync (spec 002's Slack alerts). */
export type SyncAlert =
  | { kind: 'failed'; jobId: string; message: string }
  | { kind: 'many-changes'; jobId: string; itemsChanged: number; threshold: number }
  | { kind: 'slow'; jobId: string; runtimeMs: number; thresholdMs: number }
  | { kind: 'overlap'; runningJobId: string; runningSince: Date };

export interface SyncAlerts {
  /** Sends one alert; never rejects (a failure to alert is logged, and must not fail the sync). */
  send(alert: SyncAlert): Promise<void>;
}
