import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, sendJson, type RunningServer } from '../../../lib/http/http-server.js';
import { createUpstreamClient } from '../../../lib/http/upstream-client.js';
import { fetchCrmContacts } from './crm-contacts.js';

/** The CRM connector against a stub whose batches name the next one as the test says. */
let crm: RunningServer;
let elsewhere: RunningServer;
let elsewhereAsked = 0;
let nextRecordsUrl = '';

beforeAll(async () => {
  crm = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://crm').pathname;
    if (path === '/services/data/v59.0/query') return sendJson(res, 200, { totalSize: 2, done: false, nextRecordsUrl, records: [{ Id: '003A' }] });
    if (path === '/services/data/v59.0/query/01g-1') return sendJson(res, 200, { totalSize: 2, done: true, records: [{ Id: '003B' }] });
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND' }]);
  }, 0);
  elsewhere = await listen((_req, res) => {
    elsewhereAsked++;
    sendJson(res, 200, { totalSize: 2, done: true, records: [] });
  }, 0);
});
afterAll(() => Promise.all([crm?.close(), elsewhere?.close()]));

const client = () => createUpstreamClient('crm', { url: crm.url, token: 'crm-token', timeoutMs: 2_000, retries: 0 });

describe('fetchCrmContacts', () => {
  it('follows nextRecordsUrl within the REST API', async () => {
    nextRecordsUrl = '/services/data/v59.0/query/01g-1';
    const crmClient = client();
    try {
      expect((await fetchCrmContacts(crmClient)).map((r) => r.externalId)).toEqual(['003A', '003B']);
    } finally {
      crmClient.close();
    }
  });

  it.each([
    ['an absolute URL', () => `${elsewhere.url}/services/data/v59.0/query/01g-1`],
    ['a protocol-relative URL', () => `//${new URL(elsewhere.url).host}/services/data/v59.0/query/01g-1`],
    ['a path outside the REST API', () => '/admin/stats'],
  ])('refuses %s as UPSTREAM_BAD_RESPONSE, so the token goes nowhere else', async (_kind, next) => {
    nextRecordsUrl = next();
    const crmClient = client();
    try {
      await expect(fetchCrmContacts(crmClient)).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', service: 'crm' } });
    } finally {
      crmClient.close();
    }
    expect(elsewhereAsked).toBe(0);
  });
});
