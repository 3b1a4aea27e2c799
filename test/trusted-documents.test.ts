import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestText, parseTrustedDocumentManifest, trustedDocumentManifestOfDirectory } from '../lib/graphql/trusted-document-manifest.js';
import { projectRoot } from '../lib/project-root.js';

describe('clients/trusted-documents.json', () => {
  it('is the manifest of clients/operations (run `npm run trusted-documents` when this fails)', async () => {
    const root = projectRoot();
    const expected = manifestText(await trustedDocumentManifestOfDirectory(join(root, 'clients', 'operations')));
    expect(await readFile(join(root, 'clients', 'trusted-documents.json'), 'utf8').catch(() => '(missing)')).toBe(expected);
  });

  it('is refused when an id is not the SHA-256 of its body, so no id can name another document', () => {
    const body = 'query A { locations { id } }';
    const forged = { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'a'.repeat(64), name: 'A', type: 'query', body }] };
    expect(() => parseTrustedDocumentManifest(forged, 'forged.json')).toThrow(/forged.json: operation A's id is not the SHA-256 of its body/);
    expect(() => parseTrustedDocumentManifest({ format: 'other', version: 1, operations: [] }, 'x.json')).toThrow(/x.json is not a persisted query manifest/);
  });
});
