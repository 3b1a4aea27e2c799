import { spawn } from 'node:child_process';
import { ChildChannel } from './child-channel.js';
import type { LoadReply, LoadResult, LoadRun } from './gateway-speed-protocol.js';

/** The autocannon process (http-load.ts), pinned to `cores` when given, one run at a time over IPC. */
export class HttpLoadDriver extends ChildChannel<LoadReply> {
  /** `script`: http-load.ts, or the JavaScript built from it. */
  static async start(script: string, cwd: string, env: NodeJS.ProcessEnv, cores?: string): Promise<HttpLoadDriver> {
    const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
    const child = cores
      ? spawn('taskset', ['-c', cores, process.execPath, ...args], { cwd, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const driver = new HttpLoadDriver(child);
    await driver.reply((r) => 'ready' in r);
    return driver;
  }

  async run(request: LoadRun): Promise<LoadResult> {
    const reply = await this.ask({ run: request }, (r) => 'result' in r || 'error' in r);
    if ('error' in reply) throw new Error(`load run failed: ${reply.error}`);
    return (reply as { result: LoadResult }).result;
  }
}
