/**
 * A value loaded on first use and kept for `ttlMs` (Infinity: for good).
 * Callers during a load share it; a failed load is not kept, so the next
 * call tries again instead of repeating the failure until expiry.
 */
export function cachedValue<T>(load: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let entry: { value: Promise<T>; expiresAt: number } | undefined;
  return () => {
    const at = now();
    if (entry && at < entry.expiresAt) return entry.value;
    const current = { value: load(), expiresAt: at + ttlMs };
    entry = current;
    current.value.catch(() => {
      if (entry === current) entry = undefined;
    });
    return current.value;
  };
}
