import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

/** The gateway's issue #5 "Limits" settings: introspection, CSRF prevention, persisted queries, trusted documents. */
describe('loadConfig: GraphQL limits', () => {
  const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'a-production-secret-of-at-least-32-chars', POS_WEBHOOK_SECRETS: 'pos-main=a-production-pos-secret' };

  it('turns introspection off in production unless asked for, and on elsewhere; CSRF prevention and APQ are on everywhere', () => {
    expect(loadConfig({}).gateway).toMatchObject({ introspection: true, csrfPrevention: true, persistedQueries: { enabled: true, ttlMs: 86_400_000 } });
    expect(loadConfig(production).gateway).toMatchObject({ introspection: false, csrfPrevention: true });
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' }).gateway.introspection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false', CSRF_PREVENTION: 'false' }).gateway).toMatchObject({ introspection: false, csrfPrevention: false });
  });

  it('reads the trusted documents file and the restricted client ids', () => {
    expect(loadConfig({ TRUSTED_DOCUMENTS_FILE: 'clients/trusted-documents.json', TRUSTED_DOCUMENTS_CLIENTS: ' pos-terminal-s001, partner-acme ,' }).gateway.trustedDocuments).toEqual({
      file: 'clients/trusted-documents.json',
      restrictedClients: ['pos-terminal-s001', 'partner-acme'],
    });
  });
});
