/**
 * Writes clients/trusted-documents.json, the persisted query manifest
 * (`apollo-persisted-query-manifest`) of clients/operations: what
 * `TRUSTED_DOCUMENTS_FILE` points at. `--check` writes nothing and fails when it is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trustedDocumentManifestOfDirectory } from '../lib/graphql/trusted-document-manifest.js';
import { projectRoot } from '../lib/project-root.js';

const root = projectRoot();
const target = join(root, 'clients', 'trusted-documents.json');
const text = await trustedDocumentManifestOfDirectory(join(root, 'clients', 'operations'));
if (process.argv.includes('--check')) {
  if ((await readFile(target, 'utf8').catch(() => '')) !== text) {
    console.error('Stale: clients/trusted-documents.json. Run `npm run trusted-documents` and commit the result.');
    process.exit(1);
  }
  console.log('clients/trusted-documents.json is up to date.');
} else {
  await writeFile(target, text);
  console.log(`Wrote clients/trusted-documents.json (${(JSON.parse(text) as { operations: unknown[] }).operations.length} operations).`);
}
