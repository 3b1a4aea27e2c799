import type { SimResponse } from '../common/simulator-server.js';

/** The POS's error shape: `{error: "not_found" | "unauthorized" | "bad_request", message}`. */
export type PosErrorCode = 'not_found' | 'unauthorized' | 'bad_request';

export function posError(error: PosErrorCode, message: string): SimResponse {
  const status = error === 'not_found' ? 404 : error === 'unauthorized' ? 401 : 400;
  return { status, body: { error, message } };
}

export const isPosError = (value: unknown): value is SimResponse =>
  typeof value === 'object' && value !== null && 'status' in value && typeof (value as SimResponse).status === 'number';
