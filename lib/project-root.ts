import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, whether code runs from source (tsx, vitest) or from dist/. */
export function projectRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** schema/supergraph.graphql, composed by `npm run compose` and checked in. */
export const supergraphPath = (): string => join(projectRoot(), 'schema', 'supergraph.graphql');
