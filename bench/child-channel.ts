import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A child process spoken to over IPC: each awaited reply fails instead of waiting forever if the child exits. */
export class ChildChannel<Reply> {
  /** Rejects when the process exits. */
  private readonly exited: Promise<never>;

  constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the load process exited (${code ?? signal})`);
    });
    this.exited.catch(() => undefined);
  }

  /** The next message `match` accepts. */
  reply(match: (reply: Reply) => boolean): Promise<Reply> {
    const answered = new Promise<Reply>((resolve) => {
      const onMessage = (reply: Reply) => {
        if (!match(reply)) return;
        this.child.off('message', onMessage);
        resolve(reply);
      };
      this.child.on('message', onMessage);
    });
    return Promise.race([answered, this.exited]);
  }
}
