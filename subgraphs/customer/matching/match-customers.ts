import type { CustomerRecord } from './customer-record.js';
import { linkRecords } from './deterministic-links.js';
import { buildGoldenRecord, type GoldenRecord } from './golden-record.js';

/** Links the records of every system and builds one golden record per group, in a stable order. */
export function matchCustomers(records: readonly CustomerRecord[]): GoldenRecord[] {
  return linkRecords(records).map((group) => buildGoldenRecord(group.map((i) => records[i] as CustomerRecord)));
}
