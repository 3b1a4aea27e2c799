import type { Logger } from '../lib/logger.js';

/** On SIGINT or SIGTERM, closes what the process started (once) and exits: 0 when it closed cleanly. */
export function stopOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await close();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'close failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
