import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * Spawns a Node process that prints one `{"ready":…,"url":…}` line when it
 * listens (bin/service.ts does; so does the benchmark's anchor), and resolves
 * with its URL; rejects (and kills it) if it exits first.
 */
export async function spawnReady(args: string[], env: NodeJS.ProcessEnv, cwd: string, name: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${name} exited with ${code} before it was ready`);
  });
  // Lines after the ready one are read too: a child blocked on a full pipe would stall.
  const ready = new Promise<string>((resolve) =>
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve((JSON.parse(line) as { url: string }).url);
    }),
  );
  try {
    return { child, url: await Promise.race([ready, exited]) };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

/** SIGTERM, then SIGKILL if it has not gone within `graceMs`; resolves once it exited. */
export async function stop(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
