import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';

/** Which cores the measured server and everything else (load, stack, this process) run on, as `taskset -c` lists. */
export interface CorePlan {
  server: string;
  rest: string;
}

/**
 * One core for the server under test, the others for the load generator and
 * the stack; undefined when `taskset` is missing or there is a single core
 * (the processes then share every core, and the report says so).
 */
export function corePlan(): CorePlan | undefined {
  const count = cpus().length;
  if (count < 2) return undefined;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { server: '0', rest: count === 2 ? '1' : `1-${count - 1}` };
}

/** Moves this process (every thread) onto `cores`: the orchestrator stays off the server's core. */
export function pinSelf(cores: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(process.pid)], { stdio: 'ignore' });
}

/** The line a child prints once it listens: `{"ready": name, "url": …}`, with anything else it has to say. */
export type ReadyLine = { ready: string; url: string } & Record<string, unknown>;

/**
 * Spawns `node <nodeArgs>` (under `taskset -c <cores>` when given, so every
 * thread of it starts pinned) and resolves with its ready line; rejects (and
 * kills it) if it exits first or is not ready within `timeoutMs`. Lines after
 * the ready one are read too: a child blocked on a full pipe would stall.
 */
export async function spawnPinned(options: {
  nodeArgs: string[];
  cores?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  name: string;
  timeoutMs?: number;
}): Promise<{ child: ChildProcess; ready: ReadyLine }> {
  const [command, args] = options.cores ? ['taskset', ['-c', options.cores, process.execPath, ...options.nodeArgs]] : [process.execPath, options.nodeArgs];
  const child = spawn(command as string, args as string[], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${options.name} exited (${code ?? signal}) before it was ready`);
  });
  const ready = new Promise<ReadyLine>((resolve) =>
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as ReadyLine);
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${options.name} was not ready within ${options.timeoutMs ?? 180_000} ms`)), options.timeoutMs ?? 180_000);
  });
  try {
    return { child, ready: await Promise.race([ready, exited, late]) };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
