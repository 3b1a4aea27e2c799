import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql 2.0.0-rc.3's metadata build is not idempotent, and we build one
 * schema per subgraph in one process (`npm start`, the tests, composition):
 * - each build appends every handler's params to caches it never clears, so a
 *   later build hands resolvers duplicated parameters (`@Ctx()` gets an argument);
 * - each build reverses the directive and extension lists in place, so their
 *   order flips from one build to the next.
 * Before each build this empties the caches and puts the lists back in the
 * order the decorators were collected, so every build sees what a first build would.
 */
const REVERSED_LISTS = ['classDirectives', 'fieldDirectives', 'argumentDirectives', 'classExtensions', 'fieldExtensions'] as const;
const collected = new Map<string, unknown[]>();

export function prepareTypeGraphqlBuild(): void {
  const storage = getMetadataStorage() as unknown as Record<string, unknown>;
  for (const key of Object.keys(storage)) {
    if (key.endsWith('Cache') && storage[key] instanceof Map) storage[key] = new Map();
  }
  for (const key of REVERSED_LISTS) {
    const current = storage[key] as unknown[];
    const before = collected.get(key) ?? [];
    // After a build the list holds the earlier items (reversed) followed by those collected since.
    const inOrder = [...before, ...current.slice(before.length)];
    collected.set(key, inOrder);
    storage[key] = [...inOrder];
  }
}
