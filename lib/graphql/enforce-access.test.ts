import { printSubgraphSchema } from '@apollo/subgraph';
import { execute, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal } from '../auth/claims.js';
import { Authenticated, RequiresScopes } from './access-directives.js';
import { buildFederatedSchema } from './build-subgraph-schema.js';
import { accessDenial } from '../auth/access-requirement.js';
import { accessRequirement } from './enforce-access.js';
import { Arg, Directive, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from './type-graphql.js';

const as = (...scopes: string[]): Principal => ({ authenticated: true, subject: 'client', scopes });

@ObjectType()
@Directive('@key(fields: "id")')
@RequiresScopes('customers:read')
class Person {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  @RequiresScopes('customers:pii')
  email!: string | null;
}

@ObjectType()
@RequiresScopes('ops')
class Job {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
class Shelf {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'Public field, protected only by what it returns: none here.' })
  count?: number;

  @Field(() => Job, { nullable: true, description: 'Protected by its return type.' })
  lastJob?: Job;
}

let writes = 0;
const people: Record<string, Person> = { p1: Object.assign(new Person(), { id: 'p1', name: 'Ada', email: 'ada@example.com' }) };

@Resolver()
class TestResolver {
  @Query(() => Person, { nullable: true })
  person(@Arg('id', () => ID) id: string): Person | null {
    return people[id] ?? null;
  }

  @Query(() => Shelf)
  shelf(): Shelf {
    return Object.assign(new Shelf(), { id: 's1', count: 3, lastJob: Object.assign(new Job(), { id: 'j1' }) });
  }

  @Query(() => String)
  @Authenticated()
  me(): string {
    return 'someone';
  }

  @Query(() => String, { nullable: true })
  @Directive('@requiresScopes(scopes: [["ops"], ["inventory:read", "inventory:write"]])')
  either(): string {
    return 'granted';
  }

  @Mutation(() => Job)
  @RequiresScopes('inventory:write')
  startJob(): Job {
    writes += 1;
    return Object.assign(new Job(), { id: 'j2' });
  }
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFederatedSchema({ resolvers: [TestResolver], orphanedTypes: [Person] }, {
    Person: { __resolveReference: (ref: { id: string }) => people[ref.id] ?? null },
  });
});

const run = async (query: string, principal?: Principal, variables?: Record<string, unknown>) =>
  execute({ schema, document: parse(query), variableValues: variables, contextValue: principal ? { principal } : {} });
const codes = (result: { errors?: readonly { extensions: Record<string, unknown> }[] }) => result.errors?.map((e) => e.extensions.code);

describe('the access directives', () => {
  it('print as Federation @requiresScopes / @authenticated, on types and fields', () => {
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toMatch(/type Person\s+@key\(fields: "id"\)\s+@requiresScopes\(scopes: \[\["customers:read"\]\]\)/);
    expect(sdl).toContain('email: String @requiresScopes(scopes: [["customers:pii"]])');
    expect(sdl).toContain('me: String! @authenticated');
    expect(sdl).toContain('startJob: Job! @requiresScopes(scopes: [["inventory:write"]])');
  });
});

describe('enforceAccess', () => {
  it('works a field\'s requirement out from the field, its parent type and the type it returns; public fields have none', () => {
    const field = (type: string, name: string) => {
      const t = schema.getType(type);
      if (!isObjectType(t)) throw new Error(type);
      return accessRequirement(t, t.getFields()[name]!);
    };
    expect(field('Person', 'email')).toEqual({ authenticated: false, scopes: [[['customers:pii']], [['customers:read']]] });
    expect(field('Person', 'name')).toEqual({ authenticated: false, scopes: [[['customers:read']]] });
    expect(field('Query', 'person')).toEqual({ authenticated: false, scopes: [[['customers:read']]] });
    expect(field('Shelf', 'lastJob')).toEqual({ authenticated: false, scopes: [[['ops']]] });
    expect(field('Query', 'me')).toEqual({ authenticated: true, scopes: [] });
    expect(field('Query', 'either')).toEqual({ authenticated: false, scopes: [[['ops'], ['inventory:read', 'inventory:write']]] });
    for (const [type, name] of [['Query', 'shelf'], ['Shelf', 'id'], ['Shelf', 'count'], ['Query', '_entities'], ['Query', '_service']] as const) {
      expect(field(type, name), `${type}.${name}`).toBeUndefined();
    }
  });

  it('nulls a protected field with FORBIDDEN, naming the missing scope, and serves the rest', async () => {
    const result = await run('{ shelf { id count lastJob { id } } person(id: "p1") { name } }', as('inventory:read'));
    expect(result.data).toEqual({ shelf: { id: 's1', count: 3, lastJob: null }, person: null });
    expect(result.errors?.map((e) => [e.path?.join('.'), e.message, e.extensions.code])).toEqual([
      ['shelf.lastJob', 'Shelf.lastJob needs scope ops.', 'FORBIDDEN'],
      ['person', 'Query.person needs scope customers:read.', 'FORBIDDEN'],
    ]);
  });

  it('asks for every requirement that applies (field AND type): PII needs customers:read and customers:pii', async () => {
    const query = '{ person(id: "p1") { name email } }';
    expect(await run(query, as('customers:read', 'customers:pii'))).toEqual({ data: { person: { name: 'Ada', email: 'ada@example.com' } } });
    const readOnly = await run(query, as('customers:read'));
    expect(readOnly.data).toEqual({ person: { name: 'Ada', email: null } });
    expect(readOnly.errors?.map((e) => e.message)).toEqual(['Person.email needs scope customers:pii.']);
    expect(accessDenial({ authenticated: false, scopes: [[['customers:pii']], [['customers:read']]] }, as())).toBe('scopes customers:pii, customers:read');
  });

  it('covers entities: every field of a protected type, reached through _entities, is checked', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id name email } } }';
    const representations = { r: [{ __typename: 'Person', id: 'p1' }] };
    const none = await run(query, as('orders:read'), representations);
    // `id` and `name` are non-null: the entity is nulled, and nothing of it leaks.
    expect(none.data).toEqual({ _entities: [null] });
    expect(codes(none)).toContain('FORBIDDEN');
    const pii = await run(query, as('customers:read'), representations);
    expect(pii.data).toEqual({ _entities: [{ id: 'p1', name: 'Ada', email: null }] });
    expect(pii.errors?.map((e) => [e.path?.join('.'), e.extensions.code])).toEqual([['_entities.0.email', 'FORBIDDEN']]);
  });

  it('@authenticated wants a token, whatever its scopes; a context without a principal is anonymous', async () => {
    expect(await run('{ me }', as())).toEqual({ data: { me: 'someone' } });
    const anonymous = await run('{ me }', ANONYMOUS);
    expect(anonymous.errors?.map((e) => e.message)).toEqual(['Query.me needs an access token.']);
    expect(codes(await run('{ me }'))).toEqual(['FORBIDDEN']);
  });

  it('takes any one scope set of a @requiresScopes (OR of ANDs), and names what each set lacks when none is held', async () => {
    expect(await run('{ either }', as('ops'))).toEqual({ data: { either: 'granted' } });
    expect(await run('{ either }', as('inventory:read', 'inventory:write'))).toEqual({ data: { either: 'granted' } });
    const half = await run('{ either }', as('inventory:read'));
    expect(half.errors?.map((e) => e.message)).toEqual(['Query.either needs scope ops or inventory:write.']);
    expect(accessDenial({ authenticated: false, scopes: [[['ops']], [['customers:read'], ['orders:read', 'orders:write']]] }, as())).toBe(
      'scope ops and scope customers:read or orders:read + orders:write',
    );
    expect(accessDenial({ authenticated: false, scopes: [[]] }, as('ops'))).toBe('a scope no caller has');
  });

  it('refuses a mutation before its resolver runs', async () => {
    const before = writes;
    const refused = await run('mutation { startJob { id } }', as('inventory:read', 'ops'));
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((e) => e.message)).toEqual(['Mutation.startJob needs scope inventory:write.']);
    expect(writes).toBe(before);
    expect(await run('mutation { startJob { id } }', as('inventory:write', 'ops'))).toEqual({ data: { startJob: { id: 'j2' } } });
    expect(writes).toBe(before + 1);
  });
});
