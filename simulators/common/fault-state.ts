import type { Faults } from '../../lib/config.js';

/** The fault knobs of one simulator, changed at run time through `PUT /admin/faults`. */
export interface FaultState extends Faults {
  /** Share (0..1) of answers that are a 200 with cut-off JSON. */
  garbageRate: number;
}

export type FaultOutcome = 'ok' | 'error' | 'garbage' | 'outage';

export function initialFaults(faults: Faults): FaultState {
  return { ...faults, garbageRate: 0 };
}

/** Which fault, if any, this answer suffers. */
export function drawFault(state: FaultState, random: () => number = Math.random): FaultOutcome {
  if (state.outage) return 'outage';
  if (state.errorRate > 0 && random() < state.errorRate) return 'error';
  if (state.garbageRate > 0 && random() < state.garbageRate) return 'garbage';
  return 'ok';
}

/** Applies a partial update, refusing values out of range. Returns an error message or the new state. */
export function updateFaults(state: FaultState, patch: unknown): FaultState | string {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return 'body must be a JSON object';
  const next = { ...state };
  for (const [key, value] of Object.entries(patch)) {
    switch (key) {
      case 'latencyMs':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 'latencyMs must be a whole number >= 0';
        next.latencyMs = value;
        break;
      case 'errorRate':
      case 'garbageRate':
        if (typeof value !== 'number' || value < 0 || value > 1) return `${key} must be a number from 0 to 1`;
        next[key] = value;
        break;
      case 'outage':
        if (typeof value !== 'boolean') return 'outage must be true or false';
        next.outage = value;
        break;
      default:
        return `unknown knob ${key}`;
    }
  }
  return next;
}
