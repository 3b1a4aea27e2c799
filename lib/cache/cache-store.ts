/** A value as a cache keeps it: with the time it was read from its source, so any reader can tell its age. */
export interface Stored<V> {
  value: V;
  /** When the value was read from its source, in ms since the epoch (comparable across processes). */
  readAt: number;
}

/**
 * Where a cache keeps its entries: in process or in Redis. A store never
 * throws: one that cannot answer holds nothing and keeps nothing, so the
 * cache in front of it falls through to the source instead of failing.
 */
export interface CacheStore<V> {
  /** The entries held for these keys (a key held by none is absent from the map). */
  getMany(keys: readonly string[]): Promise<Map<string, Stored<V>>>;
  /** Keeps these entries, replacing what was held under their keys. */
  setMany(entries: ReadonlyArray<readonly [string, Stored<V>]>): Promise<void>;
  close(): Promise<void>;
}

/**
 * How long a store keeps an entry, in ms: one span for all, or one per value
 * (an entry saying "no such record" need not be kept as long as a record).
 */
export type Retention<V> = number | ((value: V) => number);

/** The span `retention` gives `value`. */
export const retentionOf = <V>(retention: Retention<V>, value: V): number => (typeof retention === 'number' ? retention : retention(value));
