import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from '@apollo/federation-internals';
import { Kind, parse, print, visit, type ConstDirectiveNode, type DocumentNode, type GraphQLSchema, type SchemaDefinitionNode } from 'graphql';

/** The SECURITY features composition writes into the supergraph, by the name of their `@link` feature (also their directive's default name). */
const FEATURES = ['authenticated', 'requiresScopes'] as const;
type SecurityFeature = (typeof FEATURES)[number];

/** The directive name each SECURITY feature goes by in one supergraph (`@link(..., as:)` may rename it). */
type SecurityDirectiveNames = Partial<Record<SecurityFeature, string>>;

const FEATURE_URL = new RegExp(`^https://specs\\.apollo\\.dev/(${FEATURES.join('|')})/v\\d+\\.\\d+$`);

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg?.value.kind === Kind.STRING ? arg.value.value : undefined;
}

/** Which of our SECURITY features the supergraph links, and the directive name each goes by there. */
export function securityDirectiveNames(supergraph: DocumentNode): SecurityDirectiveNames {
  const names: SecurityDirectiveNames = {};
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'link') continue;
      const feature = FEATURE_URL.exec(stringArgument(directive, 'url') ?? '')?.[1] as SecurityFeature | undefined;
      if (feature) names[feature] = stringArgument(directive, 'as') ?? feature;
    }
  }
  return names;
}

/**
 * The supergraph without its `@authenticated` / `@requiresScopes` features:
 * @apollo/gateway refuses to load a supergraph that links a SECURITY feature
 * it does not implement. The gateway enforces them itself (see
 * `access-policy.ts`) before anything is planned, so what it hands the
 * planner no longer needs them.
 */
export function withoutSecurityFeatures(supergraph: string | DocumentNode): string {
  const document = typeof supergraph === 'string' ? parse(supergraph) : supergraph;
  const names = securityDirectiveNames(document);
  const directives = new Set(Object.values(names));
  if (directives.size === 0) return typeof supergraph === 'string' ? supergraph : print(supergraph);
  // Each feature's own types are named `<directive>__<Type>` (requiresScopes__Scope).
  const ownTypes = [...directives].map((name) => `${name}__`);
  const stripped = visit(document, {
    Directive: (node) => (directives.has(node.name.value) ? null : undefined),
    DirectiveDefinition: (node) => (directives.has(node.name.value) ? null : undefined),
    ScalarTypeDefinition: (node) => (ownTypes.some((prefix) => node.name.value.startsWith(prefix)) ? null : undefined),
    SchemaDefinition: (node: SchemaDefinitionNode) => ({
      ...node,
      directives: node.directives?.filter((d) => !(d.name.value === 'link' && FEATURE_URL.test(stringArgument(d, 'url') ?? ''))),
    }),
  });
  return print(stripped);
}

/** The API schema a supergraph serves; its access rules change nothing in it (Supergraph.build refuses them without the router's feature set). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl, { supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES }).apiSchema().toGraphQLJSSchema();
}
