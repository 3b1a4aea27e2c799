import { printSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { Arg, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildFederatedSchema } from './build-subgraph-schema.js';

@ObjectType()
@Directive('@key(fields: "id")')
class Thing {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => Thing, { nullable: true })
  thing(@Arg('id', () => ID) id: string): Thing {
    return Object.assign(new Thing(), { id, name: `thing ${id}` });
  }
}

describe('buildFederatedSchema', () => {
  it('builds a Federation 2 subgraph from explicitly typed decorators, with entity references', async () => {
    const schema = await buildFederatedSchema(
      { resolvers: [ThingResolver] },
      { Thing: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `ref ${ref.id}` }) } },
    );
    const sdl = printSubgraphSchema(schema);
    expect(sdl).toContain('@key(fields: "id")');
    expect(sdl).toContain('federation/v2.7');

    const result = await execute({
      schema,
      document: parse('{ thing(id: "1") { name } _entities(representations: [{__typename: "Thing", id: "7"}]) { ... on Thing { name } } }'),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ thing: { name: 'thing 1' }, _entities: [{ name: 'ref 7' }] });
  });
});
