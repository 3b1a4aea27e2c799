/**
 * Iterates `source` one item ahead: while the caller writes one page to the
 * database, the next is already being fetched, so a load takes about the
 * longer of fetching and writing rather than their sum.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const fetchNext = () => {
    const next = iterator.next();
    // Observed now, awaited later: a failed fetch must not count as an unhandled rejection meanwhile.
    next.catch(() => undefined);
    return next;
  };
  let next = fetchNext();
  for (;;) {
    const result = await next;
    if (result.done) return;
    next = fetchNext();
    yield result.value;
  }
}
