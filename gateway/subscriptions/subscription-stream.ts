import type { ConnectionBudget } from './connection-budget.js';

/**
 * The async generator graphql-ws iterates for one `stockChanged`
 * subscription. It carries no results: the hub writes them straight to the
 * socket, serialised once per selection (graphql-ws would stringify and
 * await each one per subscriber). graphql-ws still owns the subscription's
 * life: it calls `return()` when the client completes or goes, and an error
 * thrown from `next()` (`fail`) becomes the protocol's `error` message.
 */
export class SubscriptionStream implements AsyncGenerator<never, undefined> {
  private finished = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private readonly untrack: () => void;

  constructor(
    budget: ConnectionBudget,
    /** Called once when the subscription ends for any reason: unregister it. */
    private readonly onEnd: () => void,
  ) {
    this.untrack = budget.track(this);
  }

  get ended(): boolean {
    return this.finished;
  }

  /** Ends the subscription with an error message to the client. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.end();
  }

  async next(): Promise<IteratorResult<never, undefined>> {
    while (!this.finished) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<never, undefined>> {
    this.end();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<never, undefined>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.end();
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    this.untrack();
    this.onEnd();
    this.wake?.();
  }
}
