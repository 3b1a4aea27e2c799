import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { enforceAccess } from './enforce-access.js';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from './type-graphql.js';

/** Federation 2 directives every subgraph may use; `@authenticated` and `@requiresScopes` through access-directives.ts. */
const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@authenticated", "@requiresScopes"])`;

/** Entity reference resolvers, by type name: `{ Product: { __resolveReference } }`. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

/**
 * Builds a Federation 2 subgraph schema from type-graphql resolvers.
 *
 * Fields protected by `@authenticated` / `@requiresScopes` (on the field, its
 * type or the type it returns) answer FORBIDDEN to a `context.principal`
 * without the access (enforce-access.ts).
 *
 * Every decorator in this repo names its GraphQL type explicitly
 * (`@Field(() => String)`): esbuild, which runs the tests and tsx, emits no
 * decorator metadata, so nothing may rely on it.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as GraphQLResolverMap<unknown>[string];
  }
  // The access the schema declares is enforced here too, not only at the gateway.
  return enforceAccess(buildSubgraphSchema({ typeDefs: parse(`${LINK}\n${printSchemaWithDirectives(schema)}`), resolvers }));
}
