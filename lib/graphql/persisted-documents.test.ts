import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../auth/claims.js';
import { createPersistedDocuments, type DocumentResolution } from './persisted-documents.js';
import { memoryPersistedQueryStore } from './persisted-query-store.js';
import { sha256Hex } from '../http/hmac.js';
import { trustedDocumentManifestFrom } from './trusted-document-manifest.js';

const manifest = trustedDocumentManifestFrom(['query Locations { locations { id } }']);
const trusted = manifest.operations[0]!;
const terminal: Principal = { authenticated: true, subject: 'pos-terminal-s001', issuer: 'commerce-graph', scopes: [] };
const partner: Principal = { authenticated: true, subject: 'partner-acme', issuer: 'commerce-graph', scopes: [] };
const apq = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const codeOf = (r: DocumentResolution) => ('refused' in r ? [r.status, r.refused.extensions.code] : r);

function documents() {
  return createPersistedDocuments({ manifest, store: memoryPersistedQueryStore(), restrictedClients: ['pos-terminal-s001'], isValid: (q) => !q.includes('invalid') });
}

describe('createPersistedDocuments', () => {
  it('runs a plain query as sent, for anyone not restricted', async () => {
    expect(await documents().resolve({ query: '{ products(first: 1) { totalCount } }' }, partner)).toEqual({});
  });

  it('answers an unknown APQ hash with PERSISTED_QUERY_NOT_FOUND (200), registers it with its query, then serves it by hash', async () => {
    const d = documents();
    const query = '{ locations { name } }';
    const hash = sha256Hex(query);
    expect(codeOf(await d.resolve({ extensions: apq(hash) }, ANONYMOUS))).toEqual([200, 'PERSISTED_QUERY_NOT_FOUND']);
    expect(await d.resolve({ query, extensions: apq(hash) }, ANONYMOUS)).toEqual({ query });
    expect(await d.resolve({ query: '', extensions: apq(hash) }, partner)).toEqual({ query });
  });

  it('refuses a hash that is not the query’s (400) and does not keep an invalid query', async () => {
    const d = documents();
    expect(codeOf(await d.resolve({ query: '{ a }', extensions: apq(sha256Hex('{ b }')) }, ANONYMOUS))).toEqual([400, 'PERSISTED_QUERY_HASH_MISMATCH']);
    const invalid = '{ invalid }';
    await d.resolve({ query: invalid, extensions: apq(sha256Hex(invalid)) }, ANONYMOUS);
    expect(codeOf(await d.resolve({ extensions: apq(sha256Hex(invalid)) }, ANONYMOUS))).toEqual([200, 'PERSISTED_QUERY_NOT_FOUND']);
  });

  it('serves a trusted document by APQ hash or documentId, and refuses malformed references', async () => {
    const d = documents();
    expect(await d.resolve({ extensions: apq(trusted.id) }, ANONYMOUS)).toEqual({ query: trusted.body });
    expect(await d.resolve({ documentId: `sha256:${trusted.id}` }, ANONYMOUS)).toEqual({ query: trusted.body });
    expect(codeOf(await d.resolve({ documentId: 'md5:abc' }, ANONYMOUS))).toEqual([400, 'BAD_REQUEST']);
    expect(codeOf(await d.resolve({ extensions: { persistedQuery: { version: 2, sha256Hash: trusted.id } } }, ANONYMOUS))).toEqual([400, 'BAD_REQUEST']);
  });

  it('lets a restricted client run trusted documents only: by id or their exact text, nothing else (403)', async () => {
    const d = documents();
    expect(await d.resolve({ documentId: trusted.id }, terminal)).toEqual({ query: trusted.body });
    expect(await d.resolve({ query: trusted.body }, terminal)).toEqual({});
    expect(codeOf(await d.resolve({ query: '{ locations { id } }' }, terminal))).toEqual([403, 'TRUSTED_DOCUMENT_REQUIRED']);
    const other = '{ locations { name } }';
    expect(codeOf(await d.resolve({ query: other, extensions: apq(sha256Hex(other)) }, terminal))).toEqual([403, 'TRUSTED_DOCUMENT_REQUIRED']);
    expect(codeOf(await d.resolve({ extensions: apq(sha256Hex(other)) }, terminal))).toEqual([403, 'TRUSTED_DOCUMENT_REQUIRED']);
  });

  it('answers PERSISTED_QUERY_NOT_SUPPORTED to a bare APQ hash without a store, and still serves trusted documents', async () => {
    const d = createPersistedDocuments({ manifest, isValid: () => true });
    expect(codeOf(await d.resolve({ extensions: apq(sha256Hex('{ a }')) }, ANONYMOUS))).toEqual([200, 'PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(await d.resolve({ extensions: apq(trusted.id) }, ANONYMOUS)).toEqual({ query: trusted.body });
  });
});
