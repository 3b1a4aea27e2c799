import { RequiresScopes } from '../../../lib/graphql/access-directives.js';
import { DateTimeScalar } from '../../../lib/graphql/scalars.js';
import { Field, ID, Int, ObjectType, registerEnumType } from '../../../lib/graphql/type-graphql.js';
import type { SyncJobRecord } from '../erp-sync/sync-job-repository.js';

export enum SyncMode {
  FULL = 'FULL',
  INCREMENTAL = 'INCREMENTAL',
}

registerEnumType(SyncMode, {
  name: 'SyncMode',
  description: 'What an ERP sync fetches.',
  valuesConfig: {
    FULL: { description: "Every warehouse's whole inventory (nightly)." },
    INCREMENTAL: { description: 'Only the levels the ERP changed since the last completed sync started (`modifiedSince`).' },
  },
});

@ObjectType({ description: 'One level where the ERP and the ledger disagreed before a sync.' })
export class SyncDifference {
  @Field(() => ID)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Int, { description: 'Units on hand by the ERP.' })
  erp!: number;

  @Field(() => Int, { description: 'Units on hand by the ledger (0 when it had no level).' })
  ledger!: number;

  @Field(() => Int, { description: 'erp - ledger.' })
  difference!: number;
}

@ObjectType({ description: "How far the ledger was from the ERP's snapshot, measured before the snapshot was applied." })
export class SyncDrift {
  @Field(() => Int, { description: 'Levels in the snapshot whose quantity differed from the ledger (SKUs the ledger lacked included).' })
  levelsDiffering!: number;

  @Field(() => Int, { description: 'Levels in the snapshot the ledger did not have.' })
  unknownToLedger!: number;

  @Field(() => Int, { description: "FULL only: the ledger's levels at the synced warehouses the snapshot did not list (left as they are)." })
  missingFromErp!: number;

  @Field(() => [SyncDifference], { description: 'The largest differences, largest first (at most 10).' })
  largest!: SyncDifference[];
}

/** Operations only (scope ops), wherever it is reached: `syncJobs` and `runErpSync`. */
@ObjectType({ description: 'One ERP inventory sync run (spec 002).' })
@RequiresScopes('ops')
export class SyncJob {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '`running`, `completed` or `failed`.' })
  status!: string;

  @Field(() => SyncMode)
  mode!: SyncMode;

  @Field(() => String, { description: 'Who started it: `schedule`, `cli` or `api`.' })
  triggeredBy!: string;

  @Field(() => DateTimeScalar)
  startedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  completedAt?: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'INCREMENTAL: the levels asked for are those the ERP changed at or after this.' })
  modifiedSince?: Date;

  @Field(() => Int, { description: 'Valid records applied.' })
  skusProcessed!: number;

  @Field(() => Int, { description: 'Levels created or changed, and items whose discontinued flag changed.' })
  itemsChanged!: number;

  @Field(() => Int, { description: 'ERP_SYNC stock events written: one per level whose quantity changed.' })
  eventsEmitted!: number;

  @Field(() => Int, { description: 'Records refused (malformed, or a SKU given twice for one warehouse), logged and skipped.' })
  invalidRecords!: number;

  @Field(() => Int, { description: 'Items newly flagged discontinued.' })
  discontinued!: number;

  @Field(() => Int, { nullable: true, description: "Time spent waiting on the ERP's API over the job." })
  apiLatencyMs?: number;

  @Field(() => Int, { nullable: true })
  durationMs?: number;

  @Field(() => String, { nullable: true })
  errorMessage?: string;

  @Field(() => String, { nullable: true, description: 'Where the raw payloads were archived before being applied (a path, or s3://bucket/key).' })
  archivePath?: string;

  @Field(() => SyncDrift, { nullable: true })
  drift?: SyncDrift;
}

export const toSyncJob = (record: SyncJobRecord): SyncJob =>
  Object.assign(new SyncJob(), {
    ...record,
    mode: SyncMode[record.mode],
    ...(record.drift ? { drift: Object.assign(new SyncDrift(), { ...record.drift, largest: record.drift.largest.map((d) => Object.assign(new SyncDifference(), d)) }) } : {}),
  });
