import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; each service names itself in `service`. */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
