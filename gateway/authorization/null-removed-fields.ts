import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getDirectiveValues,
  isListType,
  isNonNullType,
  type DirectiveNode,
  type ExecutionResult,
  type GraphQLOutputType,
} from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import type { AuthorizedOperation, RemovalTree } from './authorize-operation.js';

type Path = ReadonlyArray<string | number>;

/** Whether a selection with these skip/include directives is part of the request, for its variables. */
function included(directives: readonly DirectiveNode[], variables: Readonly<Record<string, unknown>>): boolean {
  const node = { directives };
  return getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * Puts back, as null with a FORBIDDEN error at each path, the fields
 * `authorizeOperation` took out (those the request's `@skip`/`@include` left
 * in), drops its placeholders, and propagates each null as GraphQL does: a
 * null in a non-null position nulls the nearest nullable parent. The result
 * is changed in place (it is fresh from execution).
 */
export function nullRemovedFields(
  result: ExecutionResult,
  authorized: Pick<AuthorizedOperation, 'removed' | 'placeholderKey'>,
  variables: Readonly<Record<string, unknown>> = {},
): ExecutionResult {
  const { removed, placeholderKey } = authorized;
  // No data (a request error, or a non-null root that already failed): nothing is there to null.
  if (result.data == null || !removed) return result;
  const errors: GraphQLError[] = [...(result.errors ?? [])];

  /** Nulls the removed fields under one object; true when the object itself must become null. */
  const onObject = (object: Record<string, unknown>, tree: RemovalTree, path: Path, dropPlaceholder: boolean): boolean => {
    if (dropPlaceholder && placeholderKey) delete object[placeholderKey];
    // Every removed field is reported, as execution reports every error, even once this object is lost.
    let lost = false;
    for (const [key, node] of tree) {
      if (node.denied && node.selectedWhere?.some((where) => included(where, variables))) {
        object[key] = null;
        errors.push(new GraphQLError(node.denied.message, { path: [...path, key], extensions: { code: ErrorCode.FORBIDDEN } }));
        if (isNonNullType(node.type)) lost = true;
        continue;
      }
      if (node.children && onValue(object[key], node.type, node.children, [...path, key], node.placeholder === true)) {
        if (isNonNullType(node.type)) lost = true;
        else object[key] = null;
      }
    }
    return lost;
  };

  /** Descends through lists to the objects; true when the value itself must become null. */
  const onValue = (value: unknown, type: GraphQLOutputType, tree: RemovalTree, path: Path, dropPlaceholder: boolean): boolean => {
    if (value == null) return false;
    const nullable = isNonNullType(type) ? type.ofType : type;
    if (isListType(nullable)) {
      const items = value as unknown[];
      let lost = false;
      for (let i = 0; i < items.length; i++) {
        if (!onValue(items[i], nullable.ofType, tree, [...path, i], dropPlaceholder)) continue;
        if (isNonNullType(nullable.ofType)) lost = true;
        else items[i] = null;
      }
      return lost;
    }
    return onObject(value as Record<string, unknown>, tree, path, dropPlaceholder);
  };

  const rootIsNull = onObject(result.data as Record<string, unknown>, removed, [], false);
  const { errors: _, ...rest } = result;
  // No error key at all when there is none (every removed field skipped): the spec says errors is a non-empty list.
  return { ...rest, data: rootIsNull ? null : result.data, ...(errors.length > 0 ? { errors } : {}) };
}
