/** Builds a value on first use and keeps it: big indexes cost nothing until a route needs them. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
