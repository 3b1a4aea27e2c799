import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A load process spoken to over IPC (the drivers extend it): each awaited reply fails instead of waiting forever if the child exits. */
export class ChildChannel<Reply> {
  /** Rejects when the process exits. */
  private readonly exited: Promise<never>;

  constructor(readonly child: ChildProcess) {
    this.exited = once(child, 'exit').then(([code, signal]) => {
      throw new Error(`the load process exited (${code ?? signal})`);
    });
    this.exited.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends `message`, then resolves with the first reply `match` accepts. */
  ask(message: object, match: (reply: Reply) => boolean): Promise<Reply> {
    const answer = this.reply(match);
    this.child.send(message);
    return answer;
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
