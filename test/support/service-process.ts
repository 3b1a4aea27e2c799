import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnReady, stop } from '../../bin/ready-child.js';
import { projectRoot } from '../../lib/project-root.js';
import { TEST_GATEWAY_SECRET } from './gateway-signing.js';

/** A service process started by `runProcess`. */
export interface RunningProcess {
  url: string;
  child: ChildProcess;
  /** Settles when the process has exited: its exit code, or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const root = projectRoot();
const entry = join(root, 'dist', 'bin', 'service.js');
/** What the POS simulator signs webhooks with and the inventory subgraph accepts, in these production-mode processes. */
const POS_SECRET = 'test-pos-webhook-secret-of-services';

/**
 * Services run from the built output, one process each, the way the Docker
 * entrypoint runs them (`node dist/bin/service.js <service>`).
 */
export class ServiceProcesses {
  private readonly children: ChildProcess[] = [];

  /** Starts one service and resolves with its URL once it printed its ready line. */
  async run(service: string, env: Record<string, string>): Promise<string> {
    return (await this.runProcess(service, env)).url;
  }

  /** As `run`, and hands back the process too, to signal it and see how it exited. */
  async runProcess(service: string, env: Record<string, string>): Promise<RunningProcess> {
    if (!existsSync(entry)) throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    const { child, url } = await spawnReady(
      [entry, service],
      // Production wants secrets of its own: the same for every process, and test/support's gateway secret, so tests can sign too.
      {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        SIM_SKUS: '200',
        SIM_CUSTOMERS: '200',
        GATEWAY_SIGNING_SECRET: TEST_GATEWAY_SECRET,
        POS_WEBHOOK_SECRET: POS_SECRET,
        POS_WEBHOOK_SECRETS: `pos-main=${POS_SECRET}`,
        ...env,
      },
      root,
      service,
    );
    this.children.push(child);
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
        : once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    return { url, child, exited };
  }

  /** SIGTERM to every child still running; resolves once they have exited. */
  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((child) => stop(child)));
  }
}
