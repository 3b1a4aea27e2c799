import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStack } from '../../bin/start-stack.js';
import { signedFetch, startTestStack } from '../support/stack.js';

/**
 * The GraphQL-over-HTTP spec's audit suite (graphql-http's `serverAudits`)
 * against the gateway and each subgraph: every MUST passes. The gateway's
 * CSRF prevention refuses GETs without a preflight header; no MUST audit
 * sends one, and the GET audits pass once the header is added.
 */
let stack: RunningStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const targets = ['gateway', 'product', 'inventory', 'customer', 'order'] as const;
const urlOf = (target: (typeof targets)[number]) =>
  target === 'gateway' ? stack.gateway.graphqlUrl : `${stack.subgraphs[target].url}/graphql`;

describe.each(targets)('%s', (target) => {
  // Subgraphs answer only the gateway: the audit's requests to them carry its signature.
  const audits = serverAudits({ url: () => urlOf(target), ...(target === 'gateway' ? {} : { fetchFn: signedFetch() }) }).filter((a) => a.name.startsWith('MUST'));
  it.each(audits.map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});

describe('gateway GETs with a preflight header (CSRF prevention on)', () => {
  const withPreflight: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), 'graphql-preflight': '1' } });
  const gets = serverAudits({ url: () => urlOf('gateway'), fetchFn: withPreflight }).filter((a) => /GET/.test(a.name));
  it.each(gets.map((a) => [a.name, a] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  });
});
