/** One clock for every process on this machine: wall-clock-anchored, sub-millisecond. */
export const now = (): number => performance.timeOrigin + performance.now();

/** Resolves when `promise` does or after `ms`, whichever is first (a missing delivery is counted, not waited for forever). */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
