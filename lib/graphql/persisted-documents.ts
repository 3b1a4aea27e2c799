import { GraphQLError } from 'graphql';
import type { Principal } from '../auth/claims.js';
import { ErrorCode } from '../errors.js';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { SHA256_HEX, sha256Hex } from '../http/hmac.js';
import type { TrustedDocumentManifest } from './trusted-document-manifest.js';

/** The parts of a request (HTTP or a graphql-ws `subscribe` payload) that say which document to run, as sent. */
export interface DocumentRequest {
  query?: unknown;
  /** Apollo's APQ: `{ persistedQuery: { version: 1, sha256Hash } }`. */
  extensions?: unknown;
  /** The GraphQL-over-HTTP persisted documents proposal: `sha256:<hex>` (or the bare hex). */
  documentId?: unknown;
}

/**
 * What to run: `{}` the request as sent, `{ query }` this text instead (a
 * document named by its hash), or nothing: `refused` is the answer, with the
 * HTTP status to give it.
 */
export type DocumentResolution = { query?: string } | { refused: GraphQLError; status: number };

export interface PersistedDocumentsOptions {
  /** Registered operations (trusted documents), which anyone may name by id. @default none */
  manifest?: TrustedDocumentManifest;
  /** Where automatic persisted queries are kept. @default none: APQ off, a hash alone is answered PERSISTED_QUERY_NOT_SUPPORTED */
  store?: PersistedQueryStore;
  /** Client ids (a token's `sub`) that may run trusted documents only, and nothing else. @default none */
  restrictedClients?: Iterable<string>;
  /** Whether a query may be registered for APQ: only one that parses and validates is kept, so the store holds nothing a client could not run. */
  isValid: (query: string) => boolean;
}

export interface PersistedDocuments {
  /** Works out which document a request runs, for `principal`; checks hashes, registers APQ queries, refuses restricted clients. */
  resolve(request: DocumentRequest, principal: Principal): Promise<DocumentResolution>;
  close(): Promise<void>;
}

const refuse = (status: number, message: string, code: string): DocumentResolution => ({ refused: new GraphQLError(message, { extensions: { code } }), status });

/** The hash a request names the document by: none, one, or a malformed reference. */
function referenceOf(request: DocumentRequest): { hash?: string; viaApq: boolean } | { malformed: string } {
  let apqHash: string | undefined;
  const persistedQuery = (request.extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery;
  if (persistedQuery != null) {
    const { version, sha256Hash } = persistedQuery as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1) return { malformed: 'extensions.persistedQuery.version must be 1.' };
    if (typeof sha256Hash !== 'string' || !SHA256_HEX.test(sha256Hash)) return { malformed: 'extensions.persistedQuery.sha256Hash must be a lowercase hex SHA-256.' };
    apqHash = sha256Hash;
  }
  let documentHash: string | undefined;
  if (request.documentId != null) {
    const id = typeof request.documentId === 'string' ? request.documentId.replace(/^sha256:/, '') : undefined;
    if (id === undefined || !SHA256_HEX.test(id)) return { malformed: 'documentId must be "sha256:" and a lowercase hex SHA-256.' };
    documentHash = id;
  }
  if (apqHash && documentHash && apqHash !== documentHash) return { malformed: 'documentId and extensions.persistedQuery.sha256Hash name different documents.' };
  return { hash: documentHash ?? apqHash, viaApq: apqHash !== undefined };
}

/**
 * Trusted documents and automatic persisted queries, for HTTP and WebSocket
 * alike. A hash names a trusted document first, then an APQ one; a hash with
 * its query registers the query (once it is checked to be that hash and to
 * validate). Restricted clients run trusted documents only: named by id, or
 * sent as their exact text.
 */
export function createPersistedDocuments(options: PersistedDocumentsOptions): PersistedDocuments {
  const trusted = new Map((options.manifest?.operations ?? []).map((o) => [o.id, o.body]));
  // A restricted client may also send a trusted document as its text: looked up as it is, not hashed per request.
  const trustedBodies = new Set(trusted.values());
  const restricted = new Set(options.restrictedClients ?? []);
  const { store } = options;
  return {
    async resolve(request, principal) {
      const reference = referenceOf(request);
      if ('malformed' in reference) return refuse(400, reference.malformed, ErrorCode.BAD_REQUEST);
      // graphql-ws insists on a string `query`: a client naming a document by hash sends "".
      const query = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
      const isRestricted = principal.subject !== undefined && restricted.has(principal.subject);
      const { hash } = reference;
      if (hash === undefined) {
        if (!isRestricted || query === undefined || trustedBodies.has(query)) return {};
        return refuse(403, 'This client may run trusted documents only: send a registered operation by its id (extensions.persistedQuery.sha256Hash or documentId).', ErrorCode.TRUSTED_DOCUMENT_REQUIRED);
      }
      // Whatever it is looked up in, the text sent must be the text hashed.
      if (query !== undefined && sha256Hex(query) !== hash) return refuse(400, 'The persisted query hash is not the SHA-256 of the query sent with it.', ErrorCode.PERSISTED_QUERY_HASH_MISMATCH);
      const registered = trusted.get(hash);
      if (registered !== undefined) return { query: registered };
      if (isRestricted) return refuse(403, `Document ${hash} is not a trusted document, and this client may run trusted documents only.`, ErrorCode.TRUSTED_DOCUMENT_REQUIRED);
      // The messages are the ones Apollo Server sends: older Apollo clients compare them, newer ones the code.
      if (!store) return query !== undefined ? { query } : refuse(200, 'PersistedQueryNotSupported', ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED);
      if (query !== undefined) {
        if (reference.viaApq && options.isValid(query)) await store.set(hash, query);
        return { query };
      }
      const stored = await store.get(hash);
      // 200, not 4xx: Apollo's APQ link retries with the query on this error and a 4xx could make a client give APQ up.
      return stored !== undefined ? { query: stored } : refuse(200, 'PersistedQueryNotFound', ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    },
    close: async () => store?.close(),
  };
}
