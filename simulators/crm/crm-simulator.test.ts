import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLogger } from '../../test/support/logger.js';
import { resetUpstreamCalls, setFaults, upstreamCalls } from '../../test/support/simulator-admin.js';
import type { RunningSimulator } from '../common/simulator-server.js';
import { generateDataset } from '../data/dataset.js';
import { startCrmSimulator } from './crm-simulator.js';

const TOKEN = 'crm-test-token';
// Enough people for more than two batches of 2,000 contacts; a tiny catalog keeps generation quick.
const dataset = generateDataset(42, { skus: 10, warehouses: 1, stores: 3, customers: 5_000 });
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startCrmSimulator({ dataset, port: 0, token: TOKEN, faults: { latencyMs: 0, errorRate: 0, outage: false }, logger: testLogger('crm-test') });
});
afterAll(() => sim?.close());

async function get(path: string, token: string | null = TOKEN): Promise<{ status: number; body: any; type: string }> {
  const res = await fetch(`${sim.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.includes('json') ? await res.json() : await res.text() };
}
const query = (soql: string) => get(`/services/data/v59.0/query?q=${encodeURIComponent(soql)}`);

describe('CRM simulator (Salesforce REST)', () => {
  it('refuses a missing or wrong token the way Salesforce does, and serves /healthz to anyone', async () => {
    for (const token of [null, 'nope']) {
      expect(await get('/services/data/v59.0/query?q=SELECT+Id+FROM+Contact', token)).toMatchObject({
        status: 401,
        body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
      });
    }
    expect((await get('/healthz', null)).body).toEqual({ status: 'ok', system: 'crm' });
  });

  it('answers a query in batches of 2,000 linked by nextRecordsUrl', async () => {
    const all = dataset.crmContacts;
    expect(all.length).toBeGreaterThan(4_000);
    const first = await query('SELECT Id, Email, CreatedDate FROM Contact');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ totalSize: all.length, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v59\.0\/query\/01g\w+-2000$/) });
    expect(first.body.records).toHaveLength(2_000);
    const records = [...first.body.records];
    let page = first.body;
    while (!page.done) {
      page = (await get(page.nextRecordsUrl)).body;
      expect(page.totalSize).toBe(all.length);
      records.push(...page.records);
    }
    expect(page.nextRecordsUrl).toBeUndefined();
    expect(records.map((r) => r.Id)).toEqual(all.map((c) => c.Id));
    const c = all[1]!;
    expect(records[1]).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v59.0/sobjects/Contact/${c.Id}` },
      Id: c.Id,
      Email: c.Email,
      CreatedDate: c.CreatedDate.replace('Z', '+0000'),
    });
    expect(records[1].CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
  });

  it('filters, orders and limits; Id IN finds each contact asked for', async () => {
    const [a, b] = [dataset.crmContacts[10]!, dataset.crmContacts[3_000]!];
    const byIds = await query(`SELECT Id, Name FROM Contact WHERE Id IN ('${b.Id}', '${a.Id.toLowerCase()}', '003NOSUCHID0000')`);
    expect(byIds.body).toEqual({
      totalSize: 2,
      done: true,
      records: [a, b].map((c) => ({ attributes: { type: 'Contact', url: `/services/data/v59.0/sobjects/Contact/${c.Id}` }, Id: c.Id, Name: `${c.FirstName} ${c.LastName}` })),
    });

    const withEmail = dataset.crmContacts.find((c) => c.Email)!;
    const byEmail = await query(`select Id from contact where email = '${withEmail.Email!.toUpperCase()}'`);
    expect(byEmail.body.records.map((r: { Id: string }) => r.Id)).toEqual([withEmail.Id]);

    const since = '2026-06-01T00:00:00Z';
    const recent = await query(`SELECT Id, LastModifiedDate FROM Contact WHERE LastModifiedDate >= ${since} AND Loyalty_Id__c != null ORDER BY LastModifiedDate DESC LIMIT 5 OFFSET 1`);
    const expected = dataset.crmContacts
      .filter((c) => c.LastModifiedDate >= '2026-06-01T00:00:00.000Z' && c.Loyalty_Id__c !== null)
      .sort((x, y) => y.LastModifiedDate.localeCompare(x.LastModifiedDate))
      .slice(1, 6);
    expect(recent.body.records.map((r: { Id: string }) => r.Id)).toEqual(expected.map((c) => c.Id));
    expect(recent.body.totalSize).toBe(5);
  });

  it('answers bad SOQL with 400 MALFORMED_QUERY or INVALID_FIELD', async () => {
    expect(await query('SELECT Id FROM Contact WHERE')).toMatchObject({
      status: 400,
      body: [{ errorCode: 'MALFORMED_QUERY', message: expect.stringContaining('ERROR at Row:1:Column:29\nunexpected token: <EOF>') }],
    });
    expect(await query('SELECT Id, Favourite_Colour__c FROM Contact')).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Favourite_Colour__c' on entity 'Contact'") }],
    });
    expect(await get('/services/data/v59.0/query')).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    expect(await get('/services/data/v59.0/query/01g000000000000ZZZ-2000')).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_QUERY_LOCATOR' }] });
  });

  it('reads one contact with every field, or 404 NOT_FOUND', async () => {
    const c = dataset.crmContacts[0]!;
    expect((await get(`/services/data/v59.0/sobjects/Contact/${c.Id}`)).body).toEqual({
      attributes: { type: 'Contact', url: `/services/data/v59.0/sobjects/Contact/${c.Id}` },
      Id: c.Id,
      FirstName: c.FirstName,
      LastName: c.LastName,
      Name: `${c.FirstName} ${c.LastName}`,
      Email: c.Email,
      Phone: c.Phone,
      MailingStreet: c.MailingStreet,
      MailingCity: c.MailingCity,
      MailingPostalCode: c.MailingPostalCode,
      MailingCountry: 'United States',
      Loyalty_Id__c: c.Loyalty_Id__c,
      CreatedDate: c.CreatedDate.replace('Z', '+0000'),
      LastModifiedDate: c.LastModifiedDate.replace('Z', '+0000'),
    });
    expect(await get('/services/data/v59.0/sobjects/Contact/003NOSUCHID0000')).toMatchObject({
      status: 404,
      body: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
    });
    expect(await get('/services/data/v59.0/sobjects/Account/001')).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
  });

  it('counts business calls by route and obeys the fault knobs', async () => {
    await resetUpstreamCalls(sim, TOKEN);
    const first = await query('SELECT Id FROM Contact');
    await get(first.body.nextRecordsUrl);
    await get(`/services/data/v59.0/sobjects/Contact/${dataset.crmContacts[0]!.Id}`);
    expect(await upstreamCalls(sim, TOKEN)).toEqual({
      requests: 3,
      byRoute: {
        'GET /services/data/v59.0/query': 1,
        'GET /services/data/v59.0/query/:locator': 1,
        'GET /services/data/v59.0/sobjects/Contact/:id': 1,
      },
    });
    await setFaults(sim, TOKEN, { outage: true });
    try {
      const down = await query('SELECT Id FROM Contact LIMIT 1');
      expect(down.status).toBe(503);
      expect(down.type).toContain('text/html');
    } finally {
      await setFaults(sim, TOKEN, { outage: false });
    }
    await expect(setFaults(sim, TOKEN, { outage: 'yes' })).rejects.toThrow(/answered 400/);
  });
});
