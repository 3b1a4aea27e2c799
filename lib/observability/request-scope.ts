import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  requestId: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` as part of request `requestId`: every log line written meanwhile, however deep, carries the id. */
export function inRequestScope<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

/** The request the current code runs for, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
