import { CircuitState } from 'cockatiel';
import { metrics } from '../observability/metrics.js';

/** A circuit breaker's state as `/readyz` tells it. */
export type CircuitStatus = 'closed' | 'open' | 'half-open';

const STATUS: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  // Isolated (held open by hand) is never used here; it reads as open.
  [CircuitState.Isolated]: 'open',
};

/** `circuit_breaker_state`'s values. */
const LEVEL: Record<CircuitStatus, number> = { closed: 0, 'half-open': 1, open: 2 };

/** A cockatiel breaker's state as `/readyz` and metrics tell it. */
export function circuitStatusOf(state: CircuitState): CircuitStatus {
  return STATUS[state];
}

/**
 * Reports a breaker in `circuit_breaker_state{kind, target}` until the
 * returned function is called (when its owner closes). Every breaker of the
 * project (systems of record, subgraphs, caches' Redis) goes through here.
 */
export function reportCircuit(kind: 'upstream' | 'subgraph' | 'redis', target: string, breaker: { readonly state: CircuitState }): () => void {
  return metrics.circuitState.observe({ kind, target }, () => LEVEL[STATUS[breaker.state]]);
}
