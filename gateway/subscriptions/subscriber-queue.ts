import type { ExecutionResult } from 'graphql';
import type { ConnectionBudget } from './connection-budget.js';

/**
 * One subscriber's results in event order, as the async generator graphql-ws
 * iterates. Results are pushed as promises (an event is resolved once for
 * every subscriber sharing its selection, and may resolve after a later one),
 * and handed out in the order pushed.
 */
export class SubscriberQueue implements AsyncGenerator<ExecutionResult, undefined> {
  private items: Array<Promise<ExecutionResult>> = [];
  private wake: (() => void) | undefined;
  private finished = false;
  private failure: unknown;
  private readonly untrack: () => void;

  constructor(
    private readonly budget: ConnectionBudget,
    /** Called once when the subscriber goes (completed, disconnected, failed): unregister it. */
    private readonly onEnd: () => void,
  ) {
    this.untrack = budget.track(this);
  }

  get ended(): boolean {
    return this.finished;
  }

  push(result: Promise<ExecutionResult>): void {
    if (this.finished) return;
    this.items.push(result);
    this.budget.add();
    this.wake?.();
  }

  /** Ends the stream with an error message to the client (after what is already queued). */
  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = error;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    for (;;) {
      const head = this.items.shift();
      if (head) {
        this.budget.release();
        return { value: await head, done: false };
      }
      if (this.finished) return { value: undefined, done: true };
      if (this.failure !== undefined) {
        this.end();
        throw this.failure;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.end();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
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
    this.budget.release(this.items.length);
    this.items = [];
    this.untrack();
    this.onEnd();
    this.wake?.();
  }
}
