import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../lib/project-root.js';

const root = projectRoot();
const entry = join(root, 'dist', 'bin', 'service.js');

/**
 * Services run from the built output, one process each, the way the Docker
 * entrypoint runs them (`node dist/bin/service.js <service>`).
 */
export class ServiceProcesses {
  private readonly children: ChildProcess[] = [];

  /** Starts one service and resolves with its URL once it printed its ready line. */
  async run(service: string, env: Record<string, string>): Promise<string> {
    if (!existsSync(entry)) throw new Error('dist/ is missing: `npm test` builds it first (npm run build)');
    const child = spawn(process.execPath, [entry, service], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'warn', SIM_SKUS: '200', SIM_CUSTOMERS: '200', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${service} exited with ${code} before it was ready`);
    });
    // Keep reading after the ready line: a child blocked on a full pipe would hang.
    const ready = new Promise<string>((resolve) => {
      lines.on('line', (line) => {
        if (line.startsWith('{"ready"')) resolve((JSON.parse(line) as { url: string }).url);
      });
    });
    return Promise.race([ready, exited]);
  }

  /** SIGTERM to every child still running; resolves once they have exited. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
  }
}
