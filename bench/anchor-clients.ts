import WebSocket from 'ws';
import { now, waitAtMost } from './clock.js';
import type { DeliveryTracker } from './delivery-tracker.js';

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** N plain `ws` clients of the anchor server, plus one control socket that asks for each broadcast. */
export class AnchorClients {
  private sockets: WebSocket[] = [];
  private control: WebSocket | undefined;
  private closing = false;

  constructor(
    private readonly url: string,
    private readonly tracker: DeliveryTracker,
  ) {}

  async connect(count: number, batch: number): Promise<void> {
    this.control = await open(this.url);
    for (let start = 0; start < count; start += batch) {
      const indices = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
      await Promise.all(
        indices.map(async (i) => {
          const socket = await open(this.url);
          socket.on('message', (data) => {
            const at = now();
            this.tracker.receive((JSON.parse(String(data)) as { seq: number }).seq, i, at);
          });
          socket.on('close', () => this.closing || this.tracker.clientClosed());
          this.sockets[i] = socket;
        }),
      );
    }
  }

  /** One broadcast at a time, each awaited until every client has it, as the gateway's broadcast phase does. */
  async broadcast(count: number, timeoutMs: number): Promise<void> {
    for (let seq = 1; seq <= count; seq++) {
      const everyone = this.tracker.inject(seq, this.sockets.length, now());
      this.control!.send(`broadcast:${seq}`);
      await waitAtMost(everyone, timeoutMs);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.sockets, ...(this.control ? [this.control] : [])];
    this.sockets = [];
    this.control = undefined;
    await Promise.all(
      all.map((s) => (s.readyState === WebSocket.CLOSED ? undefined : new Promise((resolve) => (s.once('close', resolve), s.close())))),
    );
  }
}
