import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../lib/logger.js';

/** What a process started, as far as stopping it goes. */
export interface Stoppable {
  /** Takes the process out of rotation (`/readyz` answers 503) while it still serves. @default nothing to do */
  beginShutdown?(): void;
  /** Drains and closes everything the process started, in order; resolves when done. */
  close(): Promise<void>;
  /** At the deadline: destroys every connection still open. @default nothing (exiting ends them) */
  destroyConnections?(): void;
}

export interface ShutdownSettings {
  /** `SHUTDOWN_DELAY_MS`: how long readiness says 503 before the listener closes. @default 0 */
  delayMs?: number;
  /** `SHUTDOWN_TIMEOUT_MS`: from the signal; past it, open connections are destroyed and the process exits with 1. @default 25000 */
  timeoutMs?: number;
}

/**
 * On SIGINT or SIGTERM, shuts the process down gracefully and exits: readiness
 * goes 503, after `delayMs` the target drains and closes, and the process exits
 * 0 once it has, 1 if closing failed or the deadline passed first. Only the
 * first signal counts: npm and terminals often deliver Ctrl-C twice, and a
 * second one must not cut the drain short (the orchestrator's SIGKILL does that).
 */
export function stopOnSignals(target: Stoppable, logger: Logger, settings: ShutdownSettings = {}): void {
  const delayMs = settings.delayMs ?? 0;
  const timeoutMs = settings.timeoutMs ?? 25_000;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.info({ signal }, 'already stopping');
      return;
    }
    stopping = true;
    logger.info({ signal, delayMs, timeoutMs }, 'stopping');
    // Not unref'd on purpose: a close that never settles, with nothing else left to run,
    // must end in exit 1 here, not in Node exiting 0 as if it had finished.
    const deadline = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown deadline passed: destroying open connections');
      target.destroyConnections?.();
      process.exit(1);
    }, timeoutMs);
    try {
      target.beginShutdown?.();
      if (delayMs > 0) await sleep(delayMs);
      await target.close();
      clearTimeout(deadline);
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      clearTimeout(deadline);
      logger.error({ err }, 'close failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
