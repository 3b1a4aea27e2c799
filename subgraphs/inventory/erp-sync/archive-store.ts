/**
 * Where the ERP sync keeps the raw payloads it fetched, before applying them
 * (spec 002): `inventory-sync/YYYY-MM-DD/inventory_YYYYMMDD_HHMMSS.json`, on
 * the local filesystem by default or in an S3-compatible bucket.
 */
export interface ArchiveStore {
  /** Where archives go, for logs and the README: `file:///var/lib/…` or `s3://bucket/`. */
  readonly location: string;
  /**
   * Stores the file at `localPath` under `key` (a relative path such as
   * `inventory-sync/2026-11-23/inventory_20261123_020000.json`) and resolves
   * with where it now is (a filesystem path or `s3://bucket/key`): what the
   * job records as its archive path. Rejects when it could not be stored.
   */
  put(key: string, localPath: string): Promise<string>;
  /** Deletes the archives under `prefix` stored before `olderThan`; resolves with how many went. */
  deleteOlderThan(prefix: string, olderThan: Date): Promise<number>;
  /** Ends the connections it holds, if any (the S3 client's sockets). */
  close?(): void;
}

/** The archive key of a payload fetched at `at` (UTC), as spec 002 names it. */
export function archiveKey(at: Date): string {
  const iso = at.toISOString();
  const day = iso.slice(0, 10);
  const stamp = `${day.replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${ARCHIVE_PREFIX}/${day}/inventory_${stamp}.json`;
}

/** Every archive lives under this prefix. */
export const ARCHIVE_PREFIX = 'inventory-sync';
