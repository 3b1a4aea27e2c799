/**
 * Writes clients/trusted-documents.json, the persisted query manifest
 * (`apollo-persisted-query-manifest`) of clients/operations: what
 * `TRUSTED_DOCUMENTS_FILE` points at. test/trusted-documents.test.ts fails when it is stale.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestText, trustedDocumentManifestOfDirectory } from '../lib/graphql/trusted-document-manifest.js';
import { projectRoot } from '../lib/project-root.js';

const root = projectRoot();
const manifest = await trustedDocumentManifestOfDirectory(join(root, 'clients', 'operations'));
await writeFile(join(root, 'clients', 'trusted-documents.json'), manifestText(manifest));
console.log(`Wrote clients/trusted-documents.json (${manifest.operations.length} operations).`);
