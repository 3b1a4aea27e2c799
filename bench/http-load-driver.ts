import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { LoadReply, LoadResult, LoadRun } from './gateway-speed-protocol.js';

/** The autocannon process (http-load.ts), pinned to `cores` when given, one run at a time over IPC. */
export class HttpLoadDriver {
  /** Rejects when the process exits: a pending run fails instead of waiting forever. */
  private readonly exited: Promise<never>;

  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the load process exited (${code ?? signal})`);
    });
    this.exited.catch(() => undefined);
  }

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

  get pid(): number {
    return this.child.pid as number;
  }

  async run(request: LoadRun): Promise<LoadResult> {
    const answer = this.reply((r) => 'result' in r || 'error' in r);
    this.child.send({ run: request });
    const reply = await answer;
    if ('error' in reply) throw new Error(`load run failed: ${reply.error}`);
    return (reply as { result: LoadResult }).result;
  }

  private reply(match: (r: LoadReply) => boolean): Promise<LoadReply> {
    const answered = new Promise<LoadReply>((resolve) => {
      const onMessage = (r: LoadReply) => {
        if (!match(r)) return;
        this.child.off('message', onMessage);
        resolve(r);
      };
      this.child.on('message', onMessage);
    });
    return Promise.race([answered, this.exited]);
  }
}
