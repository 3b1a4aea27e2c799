import { spawn, type ChildProcess } from 'node:child_process';
import { ChildChannel } from './child-channel.js';
import type { LoadReply, LoadResult, LoadRun } from './gateway-speed-protocol.js';

/** The autocannon process (http-load.ts), pinned to `cores` when given, one run at a time over IPC. */
export class HttpLoadDriver {
  private readonly channel: ChildChannel<LoadReply>;

  private constructor(readonly child: ChildProcess) {
    this.channel = new ChildChannel<LoadReply>(child);
  }

  /** `script`: http-load.ts, or the JavaScript built from it. */
  static async start(script: string, cwd: string, env: NodeJS.ProcessEnv, cores?: string): Promise<HttpLoadDriver> {
    const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
    const child = cores
      ? spawn('taskset', ['-c', cores, process.execPath, ...args], { cwd, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const driver = new HttpLoadDriver(child);
    await driver.channel.reply((r) => 'ready' in r);
    return driver;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  async run(request: LoadRun): Promise<LoadResult> {
    const answer = this.channel.reply((r) => 'result' in r || 'error' in r);
    this.child.send({ run: request });
    const reply = await answer;
    if ('error' in reply) throw new Error(`load run failed: ${reply.error}`);
    return (reply as { result: LoadResult }).result;
  }
}
