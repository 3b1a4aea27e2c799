import { createLogger, type Logger } from '../../lib/logger.js';

/** Tests log nothing unless asked: `TEST_LOG_LEVEL=debug npx vitest run …`. */
export const TEST_LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';

export function testLogger(name: string): Logger {
  return createLogger(name, TEST_LOG_LEVEL);
}
