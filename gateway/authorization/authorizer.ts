import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Principal } from '../../lib/auth/claims.js';
import type { AccessPolicy } from './access-policy.js';
import { authorizeOperation, type AuthorizedOperation } from './authorize-operation.js';
import { nullRemovedFields } from './null-removed-fields.js';

const keys = new WeakMap<Principal, string>();

/** The fan-out and cache key of what a principal may read: whether it has a token, and its scopes (made once per principal). */
export function principalKey(principal: Principal): string {
  let key = keys.get(principal);
  if (key === undefined) keys.set(principal, (key = `${principal.authenticated ? 'token' : 'anonymous'}:${[...principal.scopes].sort().join(' ')}`));
  return key;
}

/**
 * `authorizeOperation`, worked out once per document, operation and kind of
 * caller: clients send the same few documents with the same few scope sets.
 */
export class OperationAuthorizer {
  private readonly verdicts = new WeakMap<DocumentNode, Map<string, AuthorizedOperation>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly policy: AccessPolicy,
  ) {}

  authorize(document: DocumentNode, operationName: string | null | undefined, principal: Principal): AuthorizedOperation {
    if (this.policy.empty) return { document, empty: false };
    let byCaller = this.verdicts.get(document);
    // Scope sets come from tokens; a document seen with more than a few dozen is not worth remembering them all for.
    if (!byCaller || byCaller.size >= 64) this.verdicts.set(document, (byCaller = new Map()));
    const key = `${operationName ?? ''}|${principalKey(principal)}`;
    let verdict = byCaller.get(key);
    if (!verdict) byCaller.set(key, (verdict = authorizeOperation(this.schema, this.policy, document, operationName, principal)));
    return verdict;
  }

  /**
   * Wraps an executor: runs the operation without the fields the context's
   * principal may not read, then returns those as null with FORBIDDEN.
   */
  guard(execute: (args: ExecutionArgs) => Promise<ExecutionResult>, principalOf: (context: unknown) => Principal) {
    return async (args: ExecutionArgs): Promise<ExecutionResult> => {
      const verdict = this.authorize(args.document, args.operationName, principalOf(args.contextValue));
      if (!verdict.removed) return execute(args);
      const result = verdict.empty ? { data: {} } : await execute({ ...args, document: verdict.document });
      return nullRemovedFields(result, verdict, args.variableValues ?? {});
    };
  }
}
