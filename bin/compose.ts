/**
 * Writes schema/<subgraph>.graphql, schema/supergraph.graphql and schema/api.graphql from the code.
 * `--check` writes nothing and fails when the checked-in files are stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeSupergraph } from '../gateway/compose-supergraph.js';
import { projectRoot } from '../lib/project-root.js';

const schemaDir = join(projectRoot(), 'schema');
const check = process.argv.includes('--check');

const { subgraphs, supergraphSdl, apiSdl } = await composeSupergraph();
const files = [...subgraphs.map(({ name, sdl }) => ({ file: `${name}.graphql`, text: `${sdl.trim()}\n` })), { file: 'supergraph.graphql', text: supergraphSdl },
  { file: 'api.graphql', text: `${apiSdl}\n` },
];
const stale: string[] = [];
for (const { file, text } of files) {
  const path = join(schemaDir, file);
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current === text) continue;
  if (check) stale.push(file);
  else await writeFile(path, text);
}
if (check && stale.length > 0) {
  console.error(`Stale: ${stale.join(', ')}. Run \`npm run compose\` and commit the result.`);
  process.exit(1);
}
console.log(check ? 'schema/ is up to date.' : `Wrote ${files.map((f) => f.file).join(', ')} to schema/.`);
