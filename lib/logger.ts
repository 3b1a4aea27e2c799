import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; each service names itself in `service`. Logs go to stdout unless `to` says otherwise (a CLI keeps stdout for its answer). */
export function createLogger(service: string, level: string = 'info', to?: 'stderr'): Logger {
  const options = { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return to === 'stderr' ? pino(options, pino.destination(2)) : pino(options);
}
