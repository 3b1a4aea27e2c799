import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../http/http-server.js';
import { ClientRegistry } from './client-registry.js';
import { hashClientSecret } from './client-secret.js';
import { OAUTH_TOKEN_PATH, tokenEndpointRoute, type TokenIssuer } from './token-endpoint.js';

/** The endpoint on a real node:http server, with a fake issuer that records what it was asked. */
const issued: Array<{ clientId: string; scopes: readonly string[] }> = [];
const issuer: TokenIssuer = {
  issue(clientId, scopes) {
    issued.push({ clientId, scopes });
    return { accessToken: `token-for-${clientId}`, expiresIn: 900 };
  },
};
let server: RunningServer;
let url: string;

beforeAll(async () => {
  const [partner, odd, none] = await Promise.all([hashClientSecret('partner-secret'), hashClientSecret('s:e c+r%t'), hashClientSecret('none-secret')]);
  const clients = new ClientRegistry([
    { id: 'partner', name: 'Partner', secretHash: partner, scopes: ['inventory:read', 'orders:read'] },
    // Characters §2.3.1's urlencoding exists for: a colon in the id, spaces, plus and percent in the secret.
    { id: 'odd:id é', name: 'Odd', secretHash: odd, scopes: ['ops'] },
    { id: 'none', name: 'No scopes', secretHash: none, scopes: [] },
  ]);
  const route = tokenEndpointRoute({ clients, issuer, logger: pino({ level: 'silent' }) });
  server = await listen(async (req, res) => {
    if (req.url === OAUTH_TOKEN_PATH) return route(req, res);
    res.writeHead(404).end();
  }, 0);
  url = `${server.url}${OAUTH_TOKEN_PATH}`;
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  issued.length = 0;
});

const form = (params: Record<string, string> | string) => (typeof params === 'string' ? params : new URLSearchParams(params).toString());
/** §2.3.1: each half form-urlencoded, then joined and base64'd. */
const basic = (id: string, secret: string) => {
  const enc = (s: string) => new URLSearchParams({ x: s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
};

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function post(body: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(body) });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

function expectError(answer: Answer, error: string) {
  expect(answer.body).toEqual({ error, error_description: expect.any(String) });
  expect(answer.status).toBe(error === 'invalid_client' ? 401 : 400);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  if (error === 'invalid_client') expect(answer.headers.get('www-authenticate')).toBe('Basic realm="commerce-graph"');
  else expect(answer.headers.get('www-authenticate')).toBeNull();
  expect(issued).toEqual([]);
}

function expectSuccess(answer: Answer, clientId: string, scopes: string[]) {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ access_token: `token-for-${clientId}`, token_type: 'Bearer', expires_in: 900, scope: scopes.join(' ') });
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('pragma')).toBe('no-cache');
  expect(issued).toEqual([{ clientId, scopes }]);
}

describe('POST /oauth/token: success', () => {
  it('HTTP Basic, no scope: all the client scopes', async () => {
    expectSuccess(await post({ grant_type: 'client_credentials' }, { authorization: basic('partner', 'partner-secret') }), 'partner', ['inventory:read', 'orders:read']);
  });

  it('body credentials, with a scope subset', async () => {
    const answer = await post({ grant_type: 'client_credentials', client_id: 'partner', client_secret: 'partner-secret', scope: 'orders:read' });
    expectSuccess(answer, 'partner', ['orders:read']);
  });

  it('Basic with urlencoded id and secret (colon, space, plus, percent, non-ASCII)', async () => {
    expectSuccess(await post({ grant_type: 'client_credentials', scope: 'ops' }, { authorization: basic('odd:id é', 's:e c+r%t') }), 'odd:id é', ['ops']);
  });

  it('the same odd client by body credentials', async () => {
    expectSuccess(await post({ grant_type: 'client_credentials', client_id: 'odd:id é', client_secret: 's:e c+r%t' }), 'odd:id é', ['ops']);
  });

  it('a charset parameter on the content type, a lowercase scheme, an empty scope (= absent), and repeated scope tokens', async () => {
    let answer = await post('grant_type=client_credentials&scope=', {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      authorization: basic('partner', 'partner-secret').replace('Basic', 'basic'),
    });
    expectSuccess(answer, 'partner', ['inventory:read', 'orders:read']);
    issued.length = 0;
    answer = await post({ grant_type: 'client_credentials', scope: 'orders:read inventory:read orders:read' }, { authorization: basic('partner', 'partner-secret') });
    expectSuccess(answer, 'partner', ['orders:read', 'inventory:read']);
  });

  it('a client with no scopes gets a token with none', async () => {
    expectSuccess(await post({ grant_type: 'client_credentials' }, { authorization: basic('none', 'none-secret') }), 'none', []);
  });
});

describe('POST /oauth/token: invalid_client (401 + WWW-Authenticate)', () => {
  const cases: Array<[string, Record<string, string> | string, Record<string, string>]> = [
    ['no authentication at all', { grant_type: 'client_credentials' }, {}],
    ['unknown id by Basic', { grant_type: 'client_credentials' }, { authorization: basic('nobody', 'partner-secret') }],
    ['wrong secret by Basic', { grant_type: 'client_credentials' }, { authorization: basic('partner', 'wrong') }],
    ['unknown id in the body', { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }, {}],
    ['wrong secret in the body', { grant_type: 'client_credentials', client_id: 'partner', client_secret: 'wrong' }, {}],
    ['client_id without client_secret', { grant_type: 'client_credentials', client_id: 'partner' }, {}],
    ['client_secret without client_id', { grant_type: 'client_credentials', client_secret: 'partner-secret' }, {}],
    ['another Authorization scheme', { grant_type: 'client_credentials' }, { authorization: 'Bearer abc' }],
    ['Basic that is not base64', { grant_type: 'client_credentials' }, { authorization: 'Basic ***' }],
    ['Basic without a colon', { grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from('partner').toString('base64')}` }],
    ['Basic with bad percent-encoding', { grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from('partner:%zz').toString('base64')}` }],
    ['Basic with an empty id', { grant_type: 'client_credentials' }, { authorization: basic('', 'partner-secret') }],
    ['the secret not urlencoded (raw percent sign)', { grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from('odd%3Aid%20%C3%A9:s:e c+r%t').toString('base64')}` }],
  ];
  for (const [name, body, headers] of cases) {
    it(name, async () => {
      expectError(await post(body, headers), 'invalid_client');
    });
  }
});

describe('POST /oauth/token: invalid_request', () => {
  const cases: Array<[string, Record<string, string> | string, Record<string, string>]> = [
    ['Basic and body credentials together', { grant_type: 'client_credentials', client_id: 'partner', client_secret: 'partner-secret' }, { authorization: basic('partner', 'partner-secret') }],
    ['Basic and client_id in the body', { grant_type: 'client_credentials', client_id: 'partner' }, { authorization: basic('partner', 'partner-secret') }],
    ['grant_type missing', { client_id: 'partner', client_secret: 'partner-secret' }, {}],
    ['grant_type empty (= omitted, §3.1)', 'grant_type=&client_id=partner&client_secret=partner-secret', {}],
    ['grant_type repeated', 'grant_type=client_credentials&grant_type=client_credentials&client_id=partner&client_secret=partner-secret', {}],
    ['scope repeated', 'grant_type=client_credentials&scope=ops&scope=ops', { authorization: basic('partner', 'partner-secret') }],
    ['client_secret repeated', 'grant_type=client_credentials&client_id=partner&client_secret=partner-secret&client_secret=partner-secret', {}],
    ['a JSON body', JSON.stringify({ grant_type: 'client_credentials' }), { 'content-type': 'application/json', authorization: basic('partner', 'partner-secret') }],
    ['no content type', { grant_type: 'client_credentials' }, { 'content-type': '', authorization: basic('partner', 'partner-secret') }],
  ];
  for (const [name, body, headers] of cases) {
    it(name, async () => {
      expectError(await post(body, headers), 'invalid_request');
    });
  }
});

describe('POST /oauth/token: unsupported_grant_type and invalid_scope', () => {
  it('a grant other than client_credentials', async () => {
    for (const grant of ['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS']) {
      expectError(await post({ grant_type: grant }, { authorization: basic('partner', 'partner-secret') }), 'unsupported_grant_type');
    }
  });

  const scopes: Array<[string, string]> = [
    ['a known scope the client may not have', 'orders:read customers:pii'],
    ['an unknown scope', 'inventory:delete'],
    ['a malformed scope (double space)', 'orders:read  inventory:read'],
    ['a malformed scope (leading space)', ' orders:read'],
    ['a malformed scope (quote)', 'orders"read'],
  ];
  for (const [name, scope] of scopes) {
    it(name, async () => {
      expectError(await post({ grant_type: 'client_credentials', scope }, { authorization: basic('partner', 'partner-secret') }), 'invalid_scope');
    });
  }

  it('any scope asked by a client with none', async () => {
    expectError(await post({ grant_type: 'client_credentials', scope: 'inventory:read' }, { authorization: basic('none', 'none-secret') }), 'invalid_scope');
  });

  it('a wrong secret is invalid_client even when the scope is also wrong', async () => {
    expectError(await post({ grant_type: 'client_credentials', scope: 'ops' }, { authorization: basic('partner', 'wrong') }), 'invalid_client');
  });
});

describe('POST /oauth/token: method and size', () => {
  it('405 with Allow for anything but POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(url, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect(issued).toEqual([]);
  });

  it('413 for a form over 16 KiB; 16 KiB itself is read', async () => {
    const filler = (total: number) => `grant_type=client_credentials&pad=${'x'.repeat(total - 'grant_type=client_credentials&pad='.length)}`;
    const big = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('partner', 'partner-secret') }, body: filler(16 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(big.headers.get('cache-control')).toBe('no-store');
    expect(await big.json()).toMatchObject({ error: 'invalid_request' });
    expect(issued).toEqual([]);
    expectSuccess(await post(filler(16 * 1024), { authorization: basic('partner', 'partner-secret') }), 'partner', ['inventory:read', 'orders:read']);
  });
});
