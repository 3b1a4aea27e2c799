import { printSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { Arg, Ctx, Directive, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
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

@ObjectType()
@Directive('@key(fields: "id")')
@Directive('@shareable')
class Other {
  @Field(() => ID)
  id!: string;
}

@Resolver(() => Other)
class OtherResolver {
  @Query(() => String)
  echo(@Arg('text', () => String) text: string, @Ctx() ctx: { who: string }): string {
    return `${text}/${ctx.who}`;
  }

  @Query(() => Other)
  other(): Other {
    return Object.assign(new Other(), { id: '1' });
  }
}

// type-graphql before 2.0.0-rc.4 handed later builds duplicated parameters (MichalLytek/type-graphql#1802).
describe('building several subgraph schemas in one process', () => {
  it('gives every build the same parameters and the same directive order', async () => {
    const first = await buildFederatedSchema({ resolvers: [OtherResolver] });
    const second = await buildFederatedSchema({ resolvers: [OtherResolver] });
    await buildFederatedSchema({ resolvers: [ThingResolver] });
    const fourth = await buildFederatedSchema({ resolvers: [OtherResolver] });
    expect(printSubgraphSchema(second)).toBe(printSubgraphSchema(first));
    expect(printSubgraphSchema(fourth)).toBe(printSubgraphSchema(first));
    for (const schema of [first, fourth]) {
      const result = await execute({ schema, document: parse('{ echo(text: "hi") }'), contextValue: { who: 'ctx' } });
      expect(result).toEqual({ data: { echo: 'hi/ctx' } });
    }
  });
});
