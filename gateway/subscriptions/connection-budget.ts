/**
 * How many messages one WebSocket connection has waiting to be sent, over all
 * its subscriptions: counted up on `send`, down when the socket has written
 * the message (its send callback). A client that reads slowly fills the
 * kernel's buffers, then these; past the limit the connection is closed
 * (once) rather than let the gateway's memory grow without bound.
 */
export class ConnectionBudget {
  private pending = 0;
  private exceeded = false;
  private roomWaiters: Array<() => void> = [];
  private readonly streams = new Set<{ return(): unknown }>();

  constructor(
    /** Messages that may wait; one more closes the connection. */
    readonly limit: number,
    private readonly onExceeded: () => void,
  ) {}

  /** A subscription of this connection: ended at once when the limit is passed, so nothing more is queued for it. */
  track(stream: { return(): unknown }): () => void {
    this.streams.add(stream);
    return () => void this.streams.delete(stream);
  }

  /** The send callback for the socket: one function per connection, not a closure per message. */
  readonly sent = (): void => this.release();

  add(count = 1): void {
    this.pending += count;
    if (this.pending > this.limit) this.overflow();
  }

  /** Cuts the connection off as too slow (once): closes it and ends its subscriptions. */
  overflow(): void {
    if (this.exceeded) return;
    this.exceeded = true;
    this.onExceeded();
    // The close frame waits behind everything already buffered for a slow reader: stop queueing now, not when it gets there.
    for (const stream of [...this.streams]) stream.return();
  }

  release(count = 1): void {
    this.pending -= count;
    if (this.roomWaiters.length > 0 && this.hasRoom()) {
      const waiters = this.roomWaiters;
      this.roomWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once at most half the limit waits: a replay pushes at the client's pace instead of overflowing. */
  whenRoom(): Promise<void> {
    return this.hasRoom() || this.exceeded ? Promise.resolve() : new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Lets replays waiting for room give up: the connection is going. */
  abandon(): void {
    this.exceeded = true;
    this.release(0);
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private hasRoom(): boolean {
    return this.pending <= this.limit / 2;
  }
}
