import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { accessDenial, addDeclaredAccess, declaredNothing, type AccessDirectiveNames, type AccessRequirement, type DeclaredAccess } from '../auth/access-requirement.js';
import { ANONYMOUS, type Principal } from '../auth/claims.js';
import { ErrorCode } from '../errors.js';

/**
 * Enforces, in a subgraph, the access its own schema declares
 * (`@authenticated`, `@requiresScopes`; access-directives.ts), against the
 * principal the gateway vouched for (`context.principal`). The gateway checks
 * the same composed directives before it calls any subgraph; this is the
 * second line, for a request the gateway let through by mistake.
 *
 * A field's requirement is the AND of what is declared on the field, on its
 * parent type and on the type it returns, so a protected type is protected
 * however it is reached: from a query, from another type's field, or through
 * `_entities` (each field of the entity is checked). Requirements are worked
 * out once, here; only fields that have one are wrapped.
 */

/** The names the directives have in our subgraphs (imported by `@link`), and unimported. */
const NAMES: AccessDirectiveNames = {
  authenticated: new Set(['authenticated', 'federation__authenticated']),
  requiresScopes: new Set(['requiresScopes', 'federation__requiresScopes']),
};

interface Declaring {
  astNode?: { readonly directives?: ReadonlyArray<ConstDirectiveNode> } | null;
  extensionASTNodes?: ReadonlyArray<{ readonly directives?: ReadonlyArray<ConstDirectiveNode> }>;
}

const directivesOf = (element: Declaring): ConstDirectiveNode[] => [
  ...(element.astNode?.directives ?? []),
  ...(element.extensionASTNodes ?? []).flatMap((node) => node.directives ?? []),
];

/** Adds what `element` declares to `into`; true when it declares anything. */
const addDeclared = (element: Declaring, where: string, into: DeclaredAccess) => addDeclaredAccess(directivesOf(element), NAMES, where, into);

/** What `field` of `parent` asks of the caller (field ∧ parent type ∧ returned type); undefined: it is public. */
export function accessRequirement(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): AccessRequirement | undefined {
  const requirement = declaredNothing();
  const returned: GraphQLNamedType = getNamedType(field.type);
  const declared = [
    addDeclared(field, `${parent.name}.${field.name}`, requirement),
    addDeclared(parent, parent.name, requirement),
    addDeclared(returned, returned.name, requirement),
  ];
  return declared.some(Boolean) ? requirement : undefined;
}

/** Runs `resolve` only for a caller that meets `requirement`; anyone else gets a FORBIDDEN error (the field is null). */
function guarded(
  resolve: GraphQLFieldResolver<unknown, unknown>,
  coordinate: string,
  requirement: AccessRequirement,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const principal = (context as { principal?: Principal } | undefined)?.principal ?? ANONYMOUS;
    const denial = accessDenial(requirement, principal);
    if (denial) throw new GraphQLError(`${coordinate} needs ${denial}.`, { extensions: { code: ErrorCode.FORBIDDEN } });
    return resolve(source, args, context, info);
  };
}

/**
 * Wraps, in place, the resolver of every field that has an access
 * requirement; returns the schema. Unprotected fields are left as they are.
 */
export function enforceAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const requirement = accessRequirement(type, field);
      if (!requirement) continue;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = guarded(field.resolve ?? defaultFieldResolver, coordinate, requirement);
      // Subgraphs serve no subscriptions (the gateway does), but a subscribe that exists is guarded all the same.
      if (field.subscribe) field.subscribe = guarded(field.subscribe, coordinate, requirement);
    }
  }
  return schema;
}
