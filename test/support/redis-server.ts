import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A redis-server of the test's own, to kill and start again on the same port.
 * Nothing is kept on disk (as on these machines), so a restart loses every
 * stream: what the system must ride through.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again), resolving once it answers PING. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is still running');
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    this.child = child;
    const exited = once(child, 'exit');
    // Readiness, polled: redis-server says nothing we could wait on with stdio ignored.
    for (;;) {
      if (await this.pong()) return;
      const early = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 25))]);
      if (early) throw new Error(`redis-server did not start on port ${this.port}`);
    }
  }

  /** SIGKILL: no goodbye to clients, no data kept. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * SIGSTOP: it hangs as a partition would, connections open and nothing
   * answered (no reset, unlike `kill`). Commands sent meanwhile wait in the
   * socket and are answered after `resume()`.
   */
  pause(): void {
    this.signal('SIGSTOP');
  }

  /** SIGCONT: answers again, what was sent while paused included. */
  resume(): void {
    this.signal('SIGCONT');
  }

  private signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.child!.exitCode !== null || this.child!.signalCode !== null) throw new Error('redis-server is not running');
    process.kill(pid, signal);
  }

  private pong(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = createConnection({ port: this.port, host: '127.0.0.1' });
      socket.setTimeout(500);
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
  }
}
