import type { SubgraphName } from '../lib/config.js';

export type SubgraphHealth = 'ready' | 'not_ready' | 'unreachable';

/** Asks each subgraph's `/readyz` (its GraphQL URL's sibling), one second at most each, all at once. */
export async function checkSubgraphs(urls: Record<SubgraphName, string>, timeoutMs = 1_000): Promise<Record<string, SubgraphHealth>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]): Promise<[string, SubgraphHealth]> => {
      try {
        const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        return [name, res.ok ? 'ready' : 'not_ready'];
      } catch {
        return [name, 'unreachable'];
      }
    }),
  );
  return Object.fromEntries(entries);
}
