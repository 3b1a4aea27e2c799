import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryStockEventBus } from './memory-stock-event-bus.js';
import { createRedisStockEventBus } from './redis-stock-event-bus.js';
import type { StockEventBus } from './stock-event-bus.js';

/**
 * The bus the configuration asks for: Redis Streams when `REDIS_URL` is set
 * (shared by every process), in-process otherwise (the one-process stack).
 */
export function openStockEventBus(events: Config['events'], logger: Logger): StockEventBus {
  if (events.redisUrl) {
    return createRedisStockEventBus({ url: events.redisUrl, streamKey: events.streamKey, retention: events.retention, logger });
  }
  return createMemoryStockEventBus({ retention: events.retention, logger });
}
