import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../../lib/auth/claims.js';
import type { UpstreamConfig } from '../../lib/config.js';
import type { RunningServer } from '../../lib/http/http-server.js';
import type { RunningSimulator } from '../../simulators/common/simulator-server.js';
import { startCrmSimulator } from '../../simulators/crm/crm-simulator.js';
import { BUSY_PERSON_INDEX, generateDataset } from '../../simulators/data/dataset.js';
import { startMagentoSimulator } from '../../simulators/magento/magento-simulator.js';
import { startPosSimulator } from '../../simulators/pos/pos-simulator.js';
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from '../../test/support/database.js';
import { freePort } from '../../test/support/free-port.js';
import { TEST_GATEWAY_SECRET, principalWith } from '../../test/support/gateway-signing.js';
import { queryServer } from '../../test/support/graphql-client.js';
import { linkageQuality } from '../../test/support/linkage-quality.js';
import { testLogger } from '../../test/support/logger.js';
import { resetUpstreamCalls, upstreamCalls } from '../../test/support/simulator-admin.js';
import { startCustomerSubgraph } from './index.js';
import { goldenId } from './matching/golden-record.js';

/**
 * The customer subgraph over HTTP against the real CRM, Magento and POS
 * simulators (port 0) and the real PostgreSQL, over the default dataset: the
 * generator's people are the ground truth the linkage is measured against.
 */
const logger = testLogger('customer-subgraph-test');
const dataset = generateDataset(42, { skus: 50, warehouses: 1, stores: 20, customers: 5_000 });
const TOKENS = { crm: 'crm-test-token', magento: 'magento-test-token', pos: 'pos-test-token' };
const noFaults = { latencyMs: 0, errorRate: 0, outage: false };
type System = keyof typeof TOKENS;

let sims: Record<System, RunningSimulator>;
let subgraph: RunningServer;
const schemas: string[] = [];
const started: RunningServer[] = [];

const upstream = (system: System, url = sims[system].url): UpstreamConfig => ({ url, token: TOKENS[system], timeoutMs: 10_000, retries: 0 });

async function start(schema: string, crmUrl?: string, port = 0): Promise<RunningServer> {
  const server = await startCustomerSubgraph({
    port,
    database: { url: TEST_DATABASE_URL, schema },
    crm: upstream('crm', crmUrl),
    magento: upstream('magento'),
    pos: upstream('pos'),
    logger,
    gatewaySigningSecret: TEST_GATEWAY_SECRET,
  });
  started.push(server);
  return server;
}

const newSchema = () => {
  const schema = uniqueSchema('customer_sub');
  schemas.push(schema);
  return schema;
};

beforeAll(async () => {
  const [crm, magento, pos] = await Promise.all([
    startCrmSimulator({ dataset, port: 0, token: TOKENS.crm, faults: noFaults, logger }),
    startMagentoSimulator({ dataset, port: 0, token: TOKENS.magento, faults: noFaults, logger }),
    startPosSimulator({ dataset, port: 0, token: TOKENS.pos, faults: noFaults, logger, webhook: { secret: 'pos-test-webhook-secret-0001', eventRate: 0 } }),
  ]);
  sims = { crm, magento, pos };
  subgraph = await start(newSchema());
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  await Promise.all(Object.values(sims ?? {}).map((s) => s.close()));
  await Promise.all(schemas.map(dropSchema));
});

const gql = (server: RunningServer, query: string, variables: Record<string, unknown> = {}) => queryServer<any>(server, query, variables);
const SYSTEMS = Object.keys(TOKENS) as System[];
const resetCalls = () => Promise.all(SYSTEMS.map((s) => resetUpstreamCalls(sims[s], TOKENS[s])));
const callsTo = async (system: System) => (await upstreamCalls(sims[system], TOKENS[system])).requests;

/** Each stored source record's golden id, read straight from the schema's table. */
async function storedLinks(schema: string): Promise<Array<{ system: string; external_id: string; golden_id: string }>> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT system, external_id, golden_id FROM ${schema}.customer_source_records ORDER BY system, external_id`);
    return rows;
  } finally {
    await client.end();
  }
}

const busyCrm = dataset.crmContacts.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;

describe('the customer subgraph', () => {
  it('is ready once the first ingestion is stored', async () => {
    const res = await fetch(`${subgraph.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', service: 'customer' });
  });

  it('merges the busy person’s CRM contact, Magento account and loyalty membership into one customer', async () => {
    const magento = dataset.magentoCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;
    const loyalty = dataset.loyaltyCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;
    const { data, errors } = await gql(subgraph, 'query($id: ID!) { customer(id: $id) { id name loyaltyId sourceRecords { system externalId } } }', {
      id: goldenId('CRM', busyCrm.Id),
    });
    expect(errors).toBeUndefined();
    expect(data.customer).toEqual({
      id: goldenId('CRM', busyCrm.Id),
      name: `${busyCrm.FirstName} ${busyCrm.LastName}`,
      loyaltyId: loyalty.loyaltyId,
      sourceRecords: [
        { system: 'CRM', externalId: busyCrm.Id },
        { system: 'MAGENTO', externalId: String(magento.id) },
        { system: 'POS', externalId: loyalty.loyaltyId },
      ],
    });
  });

  it('answers null for an unknown customer and resolves orders’ customers, without calling any system of record', async () => {
    await resetCalls();
    const unknown = await gql(subgraph, '{ customer(id: "cus_ffffffffffffffff") { id } }');
    expect(unknown).toEqual({ data: { customer: null } });
    const order = dataset.posOrders.find((o) => o.loyaltyId !== null)!;
    const loyalty = dataset.loyaltyCustomers.find((c) => c.loyaltyId === order.loyaltyId)!;
    const { data } = await gql(subgraph, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id customer { sourceRecords { system externalId } } } } }', {
      r: [{ __typename: 'Order', id: `pos_${order.orderId}`, customerSource: { system: 'POS', externalId: loyalty.loyaltyId } }],
    });
    expect(data._entities[0].customer.sourceRecords).toContainEqual({ system: 'POS', externalId: loyalty.loyaltyId });
    for (const system of SYSTEMS) expect(await callsTo(system)).toBe(0);
  });

  it('serves a name to customers:read, and each PII field only with customers:pii (null + FORBIDDEN otherwise)', async () => {
    const id = goldenId('CRM', busyCrm.Id);
    const query = 'query($id: ID!) { customer(id: $id) { name email phone } }';
    const full = await queryServer<any>(subgraph, query, { id }, principalWith('customers:read', 'customers:pii'));
    expect(full.errors).toBeUndefined();
    expect(full.data.customer).toMatchObject({ name: `${busyCrm.FirstName} ${busyCrm.LastName}`, email: expect.any(String), phone: expect.any(String) });

    const partner = await queryServer<any>(subgraph, query, { id }, principalWith('customers:read', 'orders:read'));
    expect(partner.data).toEqual({ customer: { name: `${busyCrm.FirstName} ${busyCrm.LastName}`, email: null, phone: null } });
    expect(partner.errors?.map((e) => [e.path?.join('.'), e.message, e.extensions?.code])).toEqual([
      ['customer.email', 'Customer.email needs scope customers:pii.', 'FORBIDDEN'],
      ['customer.phone', 'Customer.phone needs scope customers:pii.', 'FORBIDDEN'],
    ]);

    const storefront = await queryServer<any>(subgraph, query, { id }, ANONYMOUS);
    expect(storefront.data).toEqual({ customer: null });
    expect(storefront.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('guards the entity path too: _entities for a customer\'s email or name needs the scopes', async () => {
    const representations = { r: [{ __typename: 'Customer', id: goldenId('CRM', busyCrm.Id) }] };
    const email = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { email } } }';
    const withoutPii = await queryServer<any>(subgraph, email, representations, principalWith('customers:read'));
    expect(withoutPii.data).toEqual({ _entities: [{ email: null }] });
    expect(withoutPii.errors).toEqual([expect.objectContaining({ path: ['_entities', 0, 'email'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    const name = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { name } } }';
    const withoutRead = await queryServer<any>(subgraph, name, representations, principalWith('orders:read'));
    expect(withoutRead.data).toEqual({ _entities: [null] });
    expect(withoutRead.errors![0]).toMatchObject({ message: 'Customer.name needs scope customers:read.', extensions: { code: 'FORBIDDEN' } });
    // Order.customer, as the gateway asks for it, needs orders:read and customers:read.
    const order = dataset.posOrders.find((o) => o.loyaltyId !== null)!;
    const viaOrder = await queryServer<any>(
      subgraph,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { customer { id } } } }',
      { r: [{ __typename: 'Order', id: `pos_${order.orderId}`, customerSource: { system: 'POS', externalId: order.loyaltyId } }] },
      principalWith('customers:read'),
    );
    expect(viaOrder.data).toEqual({ _entities: [{ customer: null }] });
    expect(viaOrder.errors![0]).toMatchObject({ message: 'Order.customer needs scope orders:read.', extensions: { code: 'FORBIDDEN' } });
  });

  it('links records of one person and almost never of two (precision ≥ 0.99), with every source record stored once', async () => {
    const links = await storedLinks(schemas[0]!);
    expect(links).toHaveLength(dataset.crmContacts.length + dataset.magentoCustomers.length + dataset.loyaltyCustomers.length);
    const person = new Map<string, number>([
      ...dataset.crmContacts.map((c) => [`CRM:${c.Id}`, c.personIndex] as const),
      ...dataset.magentoCustomers.map((c) => [`MAGENTO:${c.id}`, c.personIndex] as const),
      ...dataset.loyaltyCustomers.map((c) => [`POS:${c.loyaltyId}`, c.personIndex] as const),
    ]);
    const groups = new Map<string, number[]>();
    links.forEach((link, i) => groups.set(link.golden_id, [...(groups.get(link.golden_id) ?? []), i]));
    const quality = linkageQuality([...groups.values()], (i) => person.get(`${links[i]!.system}:${links[i]!.external_id}`)!);
    console.info(`customer ingestion linkage, ${links.length} records into ${groups.size} customers:`, quality);
    expect(quality.precision).toBeGreaterThanOrEqual(0.99);
  });

  it('gives every customer the same id on a second, independent ingestion', async () => {
    const again = newSchema();
    await start(again);
    expect(await storedLinks(again)).toEqual(await storedLinks(schemas[0]!));
  });

  it('ingests only on first start: a restart over stored golden records reads no system of record', async () => {
    await resetCalls();
    const restarted = await start(schemas[0]!);
    const answer = await gql(restarted, 'query($id: ID!) { customer(id: $id) { id } }', { id: goldenId('CRM', busyCrm.Id) });
    expect(answer).toEqual({ data: { customer: { id: goldenId('CRM', busyCrm.Id) } } });
    for (const system of SYSTEMS) expect(await callsTo(system)).toBe(0);
  });

  it('answers /readyz 503 while the first ingestion is under way', async () => {
    // A gate in front of the CRM holds the ingestion until the test has seen /readyz.
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let asked!: () => void;
    const ingesting = new Promise<void>((resolve) => (asked = resolve));
    const gate = await listenGate(sims.crm.url, opened, () => asked());
    try {
      // startCustomerSubgraph resolves only once ingestion is done, too late to learn a port-0 URL from it:
      // so the port is picked beforehand, and (rarely) another process may take it in between.
      const port = await freePort();
      const starting = start(newSchema(), `http://127.0.0.1:${(gate.address() as AddressInfo).port}`, port);
      await ingesting;
      const during = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(during.status).toBe(503);
      expect(await during.json()).toEqual({ status: 'starting', service: 'customer' });
      open();
      const server = await starting;
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      open();
      gate.closeAllConnections();
      await new Promise((resolve) => gate.close(resolve));
    }
  });
});

/** A proxy to `target` that tells `onRequest` of each request and holds it until `opened` resolves. */
async function listenGate(target: string, opened: Promise<void>, onRequest: () => void): Promise<Server> {
  const server = createServer((req, res) => {
    onRequest();
    void opened.then(() => {
      const upstreamReq = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      });
      upstreamReq.on('error', () => res.destroy());
      req.pipe(upstreamReq);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
