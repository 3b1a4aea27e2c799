import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Command, LoadParams, LoadReply, PhaseResult } from './protocol.js';

/** The load process (fanout-load.ts), run one step at a time over IPC. */
export class LoadDriver {
  /** Rejects when the process exits: every pending step fails instead of waiting forever. */
  private readonly exited: Promise<never>;

  private constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the load process exited (${code ?? signal})`);
    });
    this.exited.catch(() => undefined);
  }

  static async start(params: LoadParams, cwd: string, env: NodeJS.ProcessEnv): Promise<LoadDriver> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fanout-load.ts', JSON.stringify(params)], {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const driver = new LoadDriver(child);
    await driver.reply((r) => 'ready' in r);
    return driver;
  }

  get pid(): number {
    return this.child.pid as number;
  }

  async run(command: Command): Promise<PhaseResult | undefined> {
    const answer = this.reply((r) => 'command' in r && r.command === command);
    this.child.send({ command });
    const reply = (await answer) as Extract<LoadReply, { command: Command }>;
    if (reply.error) throw new Error(`load step ${command} failed: ${reply.error}`);
    return reply.result;
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
