import { Kind, getNamedType, isAbstractType, isObjectType, isTypeExtensionNode, isTypeSystemDefinitionNode, isUnionType, type ConstDirectiveNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { accessDenial, addDeclaredAccess, declaredNothing, type AccessDirectiveNames, type AccessRequirement, type DeclaredAccess } from '../../lib/auth/access-requirement.js';
import type { Principal } from '../../lib/auth/claims.js';
import { securityDirectiveNames } from './security-features.js';

/** Why a caller may not read a field, as the client is told. */
export interface Denial {
  /** `Type.field`. */
  coordinate: string;
  message: string;
}

/**
 * Who may read what, as the subgraphs declared it (`@authenticated`,
 * `@requiresScopes`) and composition wrote it into the supergraph: read once
 * at start-up. A field requires what it declares and what the type it returns
 * declares (a protected type is protected wherever it is reached). Each
 * subgraph enforces the same declarations again (lib/graphql/enforce-access.ts),
 * adding the parent type's: there `_entities` reaches a type without going
 * through a field that returns it, which the gateway's API has no way to do.
 */
export class AccessPolicy {
  /** Only protected fields are here, by `Type.field`. */
  private readonly fields = new Map<string, AccessRequirement>();

  private constructor(types: ReadonlyMap<string, DeclaredAccess>, fields: ReadonlyMap<string, DeclaredAccess>, schema: GraphQLSchema) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const parts = [fields.get(coordinate), types.get(getNamedType(field.type).name)].filter((d): d is DeclaredAccess => d !== undefined);
        if (parts.length > 0) this.fields.set(coordinate, { authenticated: parts.some((d) => d.authenticated), scopes: parts.flatMap((d) => d.scopes) });
      }
    }
    const unionMembers = new Set(Object.values(schema.getTypeMap()).flatMap((t) => (isUnionType(t) ? t.getTypes().map((m) => m.name) : [])));
    for (const name of [...types.keys(), ...[...fields.keys()].map((c) => c.split('.')[0] as string)]) {
      const type = schema.getType(name);
      // Removing a field the caller may not read needs to know, per object, whether it was selected: with
      // abstract types that takes __typename bookkeeping this API has no use for yet, so say so at start-up.
      if (type && (isAbstractType(type) || (isObjectType(type) && (type.getInterfaces().length > 0 || unionMembers.has(type.name))))) {
        throw new Error(`${name}: access rules on interfaces, unions and their implementations are not supported by the gateway yet`);
      }
    }
  }

  /** The policy a supergraph declares, over the API schema the gateway serves. */
  static fromSupergraph(supergraph: DocumentNode, schema: GraphQLSchema): AccessPolicy {
    const linked = securityDirectiveNames(supergraph);
    const names: AccessDirectiveNames = {
      authenticated: new Set(linked.authenticated ? [linked.authenticated] : []),
      requiresScopes: new Set(linked.requiresScopes ? [linked.requiresScopes] : []),
    };
    const types = new Map<string, DeclaredAccess>();
    const fields = new Map<string, DeclaredAccess>();
    const read = (into: Map<string, DeclaredAccess>, key: string, directives: readonly ConstDirectiveNode[] | undefined) => {
      const declared = into.get(key) ?? declaredNothing();
      if (addDeclaredAccess(directives ?? [], names, key, declared)) into.set(key, declared);
    };
    for (const definition of supergraph.definitions) {
      if (!isTypeSystemDefinitionNode(definition) && !isTypeExtensionNode(definition)) continue;
      if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
      read(types, definition.name.value, definition.directives);
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
        for (const field of definition.fields ?? []) read(fields, `${definition.name.value}.${field.name.value}`, field.directives);
      }
    }
    return new AccessPolicy(types, fields, schema);
  }

  /** True when the schema protects nothing: every check can be skipped. */
  get empty(): boolean {
    return this.fields.size === 0;
  }

  /** Why `principal` may not read `type.field`, or undefined when it may. */
  denial(typeName: string, fieldName: string, principal: Principal): Denial | undefined {
    const coordinate = `${typeName}.${fieldName}`;
    const requirement = this.fields.get(coordinate);
    const missing = requirement && accessDenial(requirement, principal);
    return missing ? { coordinate, message: `${coordinate} needs ${missing}.` } : undefined;
  }
}
