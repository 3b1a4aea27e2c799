import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../gateway/compose-supergraph.js';
import { projectRoot } from '../lib/project-root.js';

const root = projectRoot();
const read = (...parts: string[]) => readFile(join(root, ...parts), 'utf8');

describe('schema/', () => {
  it('holds what the subgraphs compose to today (run `npm run compose` when this fails)', async () => {
    const { subgraphs, supergraphSdl, apiSdl } = await composeSupergraph();
    for (const { name, sdl } of subgraphs) expect(await read('schema', `${name}.graphql`), `schema/${name}.graphql`).toBe(`${sdl.trim()}\n`);
    expect(await read('schema', 'supergraph.graphql')).toBe(supergraphSdl);
    expect(await read('schema', 'api.graphql')).toBe(`${apiSdl}\n`);
  });

  it('keeps every type, field and argument of the design contract, with compatible types', async () => {
    const design = buildSchema(await read('..', 'shared', 'design', 'api.graphql'));
    const ours = buildSchema(await read('schema', 'api.graphql'));
    expect(findBreakingChanges(design, ours).map((c) => c.description)).toEqual([]);
  });
});
