import type { IncomingMessage } from 'node:http';
import { printSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../lib/db/database.js';
import { migrate } from '../../lib/db/migrate.js';
import { datasetRecords } from '../../test/support/customer-records.js';
import { openTestDatabase } from '../../test/support/database.js';
import { FULL_ACCESS } from '../../test/support/gateway-signing.js';
import { BUSY_PERSON_INDEX, generateDataset } from '../../simulators/data/dataset.js';
import { customerContext } from './customer-context.js';
import { CustomerRepository } from './customer-repository.js';
import { createCustomerSchema } from './customer-schema.js';
import { goldenId } from './matching/golden-record.js';
import { matchCustomers } from './matching/match-customers.js';
import { CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS } from './migrations.js';

const dataset = generateDataset(42, { skus: 10, warehouses: 1, stores: 3, customers: 300 });
const busyCrm = dataset.crmContacts.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;
const busyMagento = dataset.magentoCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;
const busyLoyalty = dataset.loyaltyCustomers.find((c) => c.personIndex === BUSY_PERSON_INDEX)!;
const busyId = goldenId('CRM', busyCrm.Id);

let db: Database;
let schema: GraphQLSchema;
/** Every SQL statement the resolvers send, to prove batching. */
const statements: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase('customer_schema');
  await migrate(db, CUSTOMER_MIGRATION_LOCK, CUSTOMER_MIGRATIONS);
  await new CustomerRepository(db).storeInitial(matchCustomers(datasetRecords(dataset).map((l) => l.record)));
  schema = await createCustomerSchema();
});
afterAll(() => db?.close());
beforeEach(() => {
  statements.length = 0;
});

async function run(query: string, variables?: Record<string, unknown>) {
  const counting: Database = { ...db, query: (sql, params) => (statements.push(sql), db.query(sql, params)) };
  const contextValue = customerContext(new CustomerRepository(counting))({ requestId: 'test', req: {} as IncomingMessage, principal: FULL_ACCESS });
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
  expect(result.errors).toBeUndefined();
  return result.data as Record<string, any>;
}

describe('the customer subgraph schema', () => {
  it('prints Customer as an entity and contributes Order.customer with @requires', async () => {
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toMatch(/type Customer\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Order\s+@key\(fields: "id"\)/);
    expect(sdl).toContain('customerSource: SourceRecord @external');
    expect(sdl).toMatch(/customer: Customer @requires\(fields: "customerSource \{ system externalId \}"\)/);
    expect(sdl).toMatch(/type SourceRecord\s+@shareable/);
    expect(sdl).toMatch(/customer\(id: ID!\): Customer\n/);
  });

  it('serves customer(id) from the golden records, with every source record', async () => {
    const data = await run('query($id: ID!) { customer(id: $id) { id name email phone loyaltyId sourceRecords { system externalId } } }', { id: busyId });
    expect(data.customer).toEqual({
      id: busyId,
      name: `${busyCrm.FirstName} ${busyCrm.LastName}`,
      email: busyCrm.Email ?? busyMagento.email,
      phone: busyCrm.Phone ?? busyMagento.telephone,
      loyaltyId: busyLoyalty.loyaltyId,
      sourceRecords: [
        { system: 'CRM', externalId: busyCrm.Id },
        { system: 'MAGENTO', externalId: String(busyMagento.id) },
        { system: 'POS', externalId: busyLoyalty.loyaltyId },
      ],
    });
  });

  it('answers null for an unknown id', async () => {
    expect(await run('{ customer(id: "cus_0000000000000000") { id } }')).toEqual({ customer: null });
  });

  it('resolves Customer references in one query', async () => {
    const others = dataset.crmContacts.slice(1, 4).map((c) => goldenId('CRM', c.Id));
    const data = await run(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }',
      { r: [busyId, ...others, 'cus_unknown'].map((id) => ({ __typename: 'Customer', id })) },
    );
    expect(data._entities.map((e: { id: string } | null) => e?.id ?? null)).toEqual([busyId, ...others, null]);
    expect(statements).toHaveLength(1);
  });

  it('resolves Order.customer from the order’s source record, every order of the batch in one SQL query', async () => {
    const otherMagento = dataset.magentoCustomers.find((c) => c.personIndex !== BUSY_PERSON_INDEX)!;
    const representations = [
      { __typename: 'Order', id: 'mag_1', customerSource: { system: 'MAGENTO', externalId: String(busyMagento.id) } },
      { __typename: 'Order', id: 'pos_S001-000001', customerSource: { system: 'POS', externalId: busyLoyalty.loyaltyId } },
      { __typename: 'Order', id: 'mag_2', customerSource: { system: 'MAGENTO', externalId: String(otherMagento.id) } },
      { __typename: 'Order', id: 'mag_3', customerSource: null },
      { __typename: 'Order', id: 'mag_4', customerSource: { system: 'MAGENTO', externalId: '999999' } },
      { __typename: 'Order', id: 'mag_5', customerSource: { system: 'MAGENTO', externalId: String(busyMagento.id) } },
    ];
    const data = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id customer { id sourceRecords { system } } } } }', { r: representations });
    const customers = data._entities.map((e: { customer: { id: string } | null }) => e.customer?.id ?? null);
    const otherId = (await new CustomerRepository(db).findBySourceRecords([representations[2]!.customerSource!])).get(`MAGENTO:${otherMagento.id}`)!.id;
    expect(customers).toEqual([busyId, busyId, otherId, null, null, busyId]);
    expect(data._entities[0].customer.sourceRecords).toHaveLength(3);
    expect(statements).toHaveLength(1);
  });
});
