import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../lib/errors.js';
import { Arg, Ctx, Int, Mutation, Query, Resolver } from '../../../lib/graphql/type-graphql.js';
import type { InventoryContext } from '../inventory-context.js';
import { SyncJob, SyncMode, toSyncJob } from '../types/sync-job.js';

/** Most jobs one `syncJobs` returns. */
const MAX_JOBS = 200;

@Resolver(() => SyncJob)
export class SyncJobResolver {
  @Query(() => [SyncJob], { description: 'The latest ERP sync jobs, newest first.' })
  async syncJobs(@Arg('last', () => Int, { defaultValue: 20, nullable: true }) lastArg: number | null, @Ctx() ctx: InventoryContext): Promise<SyncJob[]> {
    const last = lastArg ?? 20;
    if (last < 1 || last > MAX_JOBS) {
      throw new GraphQLError(`last must be between 1 and ${MAX_JOBS}.`, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName: 'last' } });
    }
    return (await ctx.erpSync.jobs.list(last)).map(toSyncJob);
  }

  @Mutation(() => SyncJob, {
    description: 'Starts an ERP inventory sync now and answers the job as it starts (`running`); follow it with `syncJobs`. Refused with SYNC_ALREADY_RUNNING while one runs.',
  })
  async runErpSync(@Arg('mode', () => SyncMode, { defaultValue: SyncMode.FULL, nullable: true }) mode: SyncMode | null, @Ctx() ctx: InventoryContext): Promise<SyncJob> {
    const outcome = await ctx.erpSync.run({ mode: mode ?? SyncMode.FULL, triggeredBy: 'api' });
    if (outcome.status === 'overlap') {
      throw new GraphQLError(`ERP sync ${outcome.running.id} is running (since ${outcome.running.startedAt.toISOString()}): try again when it is done.`, {
        extensions: { code: ErrorCode.SYNC_ALREADY_RUNNING, runningJobId: outcome.running.id },
      });
    }
    return toSyncJob(outcome.job);
  }
}
