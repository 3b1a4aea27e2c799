import { createReadStream } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import type { Queryable } from '../../../lib/db/database.js';
import type { Logger } from '../../../lib/logger.js';

/** Records per INSERT into the staging table: large enough to be set-based, small enough to bound memory. */
const CHUNK = 20_000;
/** The largest quantity accepted. */
const MAX_QTY = 1_000_000_000;
/** Invalid records logged one by one before only their count goes on. */
const LOGGED_INVALID = 20;

/** The table a sync stages the ERP's records in, inside its transaction (dropped at its end). */
export const STAGING_TABLE = 'erp_sync_staging';

export const CREATE_STAGING = `CREATE TEMP TABLE ${STAGING_TABLE} (
  location_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  qty INTEGER NOT NULL,
  discontinued BOOLEAN NOT NULL
) ON COMMIT DROP`;

export interface StageResult {
  /** Valid records staged. */
  staged: number;
  /** Records refused: not an object, no SKU, a qty that is not a non-negative integer, a flag that is not boolean. */
  invalid: number;
}

/** Why a record is refused, or undefined when it is valid. */
function problemWith(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not an object';
  const { sku, qty, discontinued } = record as Record<string, unknown>;
  if (typeof sku !== 'string' || sku.trim() === '') return 'sku missing or not a non-empty string';
  if (sku.length > 64) return 'sku longer than 64 characters';
  if (typeof qty !== 'number' || !Number.isSafeInteger(qty) || qty < 0) return 'qty not a non-negative integer';
  // Far above any real count, and keeps every delta and difference inside PostgreSQL's integer.
  if (qty > MAX_QTY) return `qty above ${MAX_QTY}`;
  if (discontinued !== undefined && typeof discontinued !== 'boolean') return 'discontinued not a boolean';
  return undefined;
}

/**
 * Streams one warehouse's payload file (a JSON array of `{sku, qty,
 * discontinued?}`) into the staging table, `CHUNK` records per statement, so
 * memory stays flat however large the payload. Invalid records are logged
 * (the first few in full) and counted, never staged; a payload that is not a
 * JSON array fails the job.
 */
export async function stageErpPayload(
  tx: Queryable,
  path: string,
  warehouseId: string,
  logger: Logger,
  onProgress?: (staged: number, invalid: number) => void,
): Promise<StageResult> {
  const result: StageResult = { staged: 0, invalid: 0 };
  let skus: string[] = [];
  let qtys: number[] = [];
  let flags: boolean[] = [];
  let opened = false;
  const flush = async () => {
    if (skus.length === 0) return;
    await tx.query(`INSERT INTO ${STAGING_TABLE} (location_id, sku, qty, discontinued) SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bool[])`, [
      warehouseId,
      skus,
      qtys,
      flags,
    ]);
    result.staged += skus.length;
    skus = [];
    qtys = [];
    flags = [];
    onProgress?.(result.staged, result.invalid);
  };

  // Only the records are emitted, each dropped once handled (keepStack false): asking for the root too would keep them all.
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  parser.onValue = ({ value, key }) => {
    if (typeof key !== 'number') return;
    const problem = problemWith(value);
    if (problem) {
      result.invalid++;
      if (result.invalid <= LOGGED_INVALID) logger.warn({ warehouseId, index: key, record: value, problem }, 'invalid ERP inventory record skipped');
      return;
    }
    const record = value as { sku: string; qty: number; discontinued?: boolean };
    skus.push(record.sku.trim());
    qtys.push(record.qty);
    flags.push(record.discontinued ?? false);
  };

  for await (const chunk of createReadStream(path)) {
    if (!opened) {
      // The payload must be the array the records come in: its first byte says so before anything is parsed.
      const first = (chunk as Buffer).toString('utf8').trimStart()[0];
      if (first === undefined) continue;
      if (first !== '[') throw new Error(`The ERP's inventory for ${warehouseId} is not a JSON array.`);
      opened = true;
    }
    parser.write(chunk as Buffer);
    if (skus.length >= CHUNK) await flush();
  }
  // The parser ends by itself once the root closes; end() on a truncated payload throws.
  if (!parser.isEnded) parser.end();
  if (!opened) throw new Error(`The ERP's inventory for ${warehouseId} is empty.`);
  await flush();
  if (result.invalid > LOGGED_INVALID) logger.warn({ warehouseId, invalid: result.invalid }, 'more invalid ERP inventory records skipped');
  return result;
}
