import { valueFromASTUntyped, type ConstDirectiveNode } from 'graphql';
import type { Principal } from './claims.js';

/**
 * What reading one field asks of the caller, from the Federation access
 * directives (`@authenticated`, `@requiresScopes`) on the field and the types
 * around it: the one rule the gateway (over the supergraph) and each subgraph
 * (over its own schema) enforce alike.
 */
export interface AccessRequirement {
  /** A verified bearer token, whatever its scopes (`@authenticated`). */
  authenticated: boolean;
  /**
   * One entry per `@requiresScopes` that applies, all of which must be met;
   * an entry is met by holding every scope of any one of its sets (OR of ANDs).
   */
  scopes: ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>;
}

/** A requirement while it is being read from directives (each `add…` pushes to it). */
export interface DeclaredAccess {
  authenticated: boolean;
  scopes: string[][][];
}

/** Nothing declared yet. */
export const declaredNothing = (): DeclaredAccess => ({ authenticated: false, scopes: [] });

/** The names the two directives go by in one schema. */
export interface AccessDirectiveNames {
  authenticated: ReadonlySet<string>;
  requiresScopes: ReadonlySet<string>;
}

const isScopeSets = (value: unknown): value is string[][] =>
  Array.isArray(value) && value.every((set) => Array.isArray(set) && set.every((scope) => typeof scope === 'string'));

/** Adds what `directives` declare to `into`; true when they declare anything. Throws on a `scopes` argument it cannot read. */
export function addDeclaredAccess(
  directives: readonly ConstDirectiveNode[],
  names: AccessDirectiveNames,
  where: string,
  into: DeclaredAccess,
): boolean {
  let declared = false;
  for (const directive of directives) {
    if (names.authenticated.has(directive.name.value)) {
      into.authenticated = true;
      declared = true;
    } else if (names.requiresScopes.has(directive.name.value)) {
      const argument = directive.arguments?.find((a) => a.name.value === 'scopes');
      const sets = argument ? valueFromASTUntyped(argument.value) : undefined;
      // Composition validates the argument too; refuse to start on one that cannot be read rather than let it through.
      if (!isScopeSets(sets)) throw new Error(`@${directive.name.value} on ${where} needs scopes: [[String!]!]!`);
      into.scopes.push(sets);
      declared = true;
    }
  }
  return declared;
}

const scopeSets = new WeakMap<Principal, ReadonlySet<string>>();
/** The principal's scopes as a set, made once per principal (once per request). */
function scopesOf(principal: Principal): ReadonlySet<string> {
  let set = scopeSets.get(principal);
  if (!set) scopeSets.set(principal, (set = new Set(principal.scopes)));
  return set;
}

/**
 * Why `principal` may not read a field with `requirement`, naming what is
 * missing (of an unmet `@requiresScopes` with several scope sets, what each
 * set lacks); undefined when it may.
 */
export function accessDenial(requirement: AccessRequirement, principal: Principal): string | undefined {
  if (requirement.authenticated && !principal.authenticated) return 'an access token';
  const held = scopesOf(principal);
  // The common case, a caller who may, allocates nothing: subgraphs ask this for every protected field of every item.
  if (requirement.scopes.every((sets) => sets.some((set) => set.every((scope) => held.has(scope))))) return undefined;
  const missing = new Set<string>();
  const alternatives: string[] = [];
  for (const sets of requirement.scopes) {
    const lacking = sets.map((set) => set.filter((scope) => !held.has(scope)));
    if (lacking.some((l) => l.length === 0)) continue;
    // `@requiresScopes(scopes: [])` can never be met; say so rather than name nothing.
    if (lacking.length === 0) return 'a scope no caller has';
    if (lacking.length === 1) for (const scope of lacking[0]!) missing.add(scope);
    else alternatives.push(`scope ${lacking.map((l) => l.join(' + ')).join(' or ')}`);
  }
  const needs = [...(missing.size > 0 ? [`${missing.size === 1 ? 'scope' : 'scopes'} ${[...missing].join(', ')}`] : []), ...alternatives];
  return needs.length > 0 ? needs.join(' and ') : undefined;
}
