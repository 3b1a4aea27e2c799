import type { Scope } from '../auth/claims.js';
import { Directive } from './type-graphql.js';

/**
 * Who may read what, declared once in each subgraph's schema with the
 * Federation directives (`@requiresScopes`, `@authenticated`): composed into
 * the supergraph, enforced by the gateway before any subgraph is called and
 * again by the subgraph itself (enforce-access.ts). On a type (an
 * `@ObjectType` class) they protect every field of that type and every field
 * returning it; on a field, query or mutation, that one field.
 */

/**
 * The caller needs every one of `scopes`. Declared as one AND-group,
 * `@requiresScopes(scopes: [["a", "b"]])`; a requirement met by either of two
 * scope sets is not needed yet.
 */
export function RequiresScopes(...scopes: [Scope, ...Scope[]]): ReturnType<typeof Directive> {
  return Directive(`@requiresScopes(scopes: [[${scopes.map((scope) => JSON.stringify(scope)).join(', ')}]])`);
}

/** The caller needs a verified bearer token, with whatever scopes. */
export function Authenticated(): ReturnType<typeof Directive> {
  return Directive('@authenticated');
}
