/** Starts several servers at once; if any fails to start, closes those that did and rethrows. */
export async function startAll<N, S extends { close(): Promise<void> }>(names: readonly N[], start: (name: N) => Promise<S>): Promise<S[]> {
  const results = await Promise.allSettled(names.map(start));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<S>).value);
  await Promise.allSettled(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  throw failed.reason;
}
