import { GraphQLError, isListType, isNonNullType, type ExecutionResult, type GraphQLOutputType } from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import { PLACEHOLDER_KEY, type RemovalTree } from './authorize-operation.js';

type Path = ReadonlyArray<string | number>;

/**
 * Puts back, as null with a FORBIDDEN error at each path, the fields
 * `authorizeOperation` took out, and propagates each null as GraphQL does:
 * a null in a non-null position nulls the nearest nullable parent. The result
 * is changed in place (it is fresh from execution).
 */
export function nullRemovedFields(result: ExecutionResult, removed: RemovalTree): ExecutionResult {
  // No data (a request error, or a non-null root that already failed): nothing is there to null.
  if (result.data == null) return result;
  const errors: GraphQLError[] = [...(result.errors ?? [])];

  /** Nulls the removed fields under one object; true when the object itself must become null. */
  const onObject = (object: Record<string, unknown>, tree: RemovalTree, path: Path): boolean => {
    delete object[PLACEHOLDER_KEY];
    for (const [key, node] of tree) {
      if (node.denied) {
        object[key] = null;
        errors.push(new GraphQLError(node.denied.message, { path: [...path, key], extensions: { code: ErrorCode.FORBIDDEN } }));
        if (isNonNullType(node.type)) return true;
        continue;
      }
      if (node.children && onValue(object[key], node.type, node.children, [...path, key])) {
        if (isNonNullType(node.type)) return true;
        object[key] = null;
      }
    }
    return false;
  };

  /** Descends through lists to the objects; true when the value itself must become null. */
  const onValue = (value: unknown, type: GraphQLOutputType, tree: RemovalTree, path: Path): boolean => {
    if (value == null) return false;
    const nullable = isNonNullType(type) ? type.ofType : type;
    if (isListType(nullable)) {
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        if (!onValue(items[i], nullable.ofType, tree, [...path, i])) continue;
        if (isNonNullType(nullable.ofType)) return true;
        items[i] = null;
      }
      return false;
    }
    return onObject(value as Record<string, unknown>, tree, path);
  };

  const rootIsNull = onObject(result.data as Record<string, unknown>, removed, []);
  return { ...result, data: rootIsNull ? null : result.data, errors };
}
