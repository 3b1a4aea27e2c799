import type { Random } from '../data/random.js';
import type { Dataset, ProductRecord } from '../data/dataset.js';
import type { TillOperation } from './pos-till.js';

/** Shortest timer period; faster rates emit several events per tick instead. */
const MIN_PERIOD_MS = 20;

/**
 * Emits random sales, returns and adjustments at a rate, as a busy chain of
 * stores would. Events due in one tick go out together (one webhook delivery
 * carries an array of events). `stop()` clears the one timer it holds.
 */
export class RandomEventSource {
  private timer: NodeJS.Timeout | undefined;
  private perSecond = 0;
  private owed = 0;
  private readonly sellable: ProductRecord[];

  constructor(
    private readonly dataset: Dataset,
    private readonly random: Random,
    private readonly emit: (operations: TillOperation[]) => void,
  ) {
    this.sellable = dataset.products.filter((p) => !p.discontinued);
  }

  get rate(): number {
    return this.perSecond;
  }

  /** Events per second; 0 stops. */
  setRate(perSecond: number): void {
    this.stop();
    this.perSecond = perSecond;
    if (perSecond <= 0 || this.sellable.length === 0 || this.dataset.stores.length === 0) return;
    const period = Math.max(MIN_PERIOD_MS, 1000 / perSecond);
    this.owed = 0;
    this.timer = setInterval(() => this.tick(period), period);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.perSecond = 0;
  }

  private tick(periodMs: number): void {
    this.owed += (this.perSecond * periodMs) / 1000;
    const count = Math.floor(this.owed);
    if (count === 0) return;
    this.owed -= count;
    this.emit(Array.from({ length: count }, () => this.next()));
  }

  private next(): TillOperation {
    const store = this.random.pick(this.dataset.stores);
    const product = this.random.pick(this.sellable);
    const roll = this.random.next();
    if (roll < 0.7) return { type: 'SALE', store, product, quantity: this.random.int(1, 2) };
    if (roll < 0.8) return { type: 'RETURN', store, product, quantity: 1 };
    const delta = this.random.int(-3, 5);
    return { type: 'ADJUSTMENT', store, product, quantity: delta === 0 ? 1 : delta };
  }
}
