import { spawn } from 'node:child_process';
import { ChildChannel } from './child-channel.js';
import type { Command, LoadParams, LoadReply, PhaseResult } from './protocol.js';

/** The load process (fanout-load.ts), run one step at a time over IPC. */
export class LoadDriver extends ChildChannel<LoadReply> {
  /** `nodeArgs`: Node options before the script's (a CPU profile of the load itself, say). */
  static async start(params: LoadParams, cwd: string, env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): Promise<LoadDriver> {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/fanout-load.ts', JSON.stringify(params)], {
      cwd,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const driver = new LoadDriver(child);
    await driver.reply((r) => 'ready' in r);
    return driver;
  }

  async run(command: Command): Promise<PhaseResult | undefined> {
    const reply = (await this.ask({ command }, (r) => 'command' in r && r.command === command)) as Extract<LoadReply, { command: Command }>;
    if (reply.error) throw new Error(`load step ${command} failed: ${reply.error}`);
    return reply.result;
  }
}
