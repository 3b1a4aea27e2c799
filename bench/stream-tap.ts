import { Redis } from 'ioredis';
import { decodeEntries, type RawStreamEntry } from '../lib/events/redis-stream-codec.js';
import { now } from './clock.js';

/**
 * Reads the stock event stream as a gateway does (a blocking XREAD of its
 * own) and reports when each event showed up there: splits a delivery's
 * latency into the inventory side (webhook, ledger, outbox) and the gateway
 * side (follow, resolve, fan out). One connection, one read per batch.
 */
export function tapStream(url: string, key: string, onEvent: (occurredAt: string, at: number) => void): { close(): void } {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  let stopping = false;
  void (async () => {
    let cursor = '$';
    while (!stopping) {
      const reply = (await redis.xread('COUNT', 1_000, 'BLOCK', 1_000, 'STREAMS', key, cursor).catch(() => null)) as Array<[string, RawStreamEntry[]]> | null;
      const at = now();
      const entries = reply?.[0]?.[1];
      if (!entries?.length) continue;
      cursor = (entries[entries.length - 1] as RawStreamEntry)[0];
      for (const event of decodeEntries(entries)) onEvent(event.occurredAt, at);
    }
  })();
  return {
    close: () => {
      stopping = true;
      redis.disconnect();
    },
  };
}
