import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, Kind, validate, type DocumentNode, type OperationDefinitionNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../errors.js';

/** What one operation may ask of the gateway; past any of them it is refused before a subgraph is called. */
export interface OperationLimits {
  /** Deepest field nesting (fragments followed; introspection exempt). @default 12 */
  maxDepth: number;
  /** Aliased fields in one operation. @default 30 */
  maxAliases: number;
  /** Fields at the operation's root. @default 20 */
  maxRootFields: number;
  /** Estimated cost: 1 a field, a field's selection multiplied by its `first` / `limit` (or the length of its `skus`). @default 20000 */
  maxCost: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxCost: 20_000 };

const limitError = (message: string) => new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_LIMIT_EXCEEDED } });

/** Root fields of each operation, fragments at the root included. */
function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      let count = 0;
      const walk = (selections: readonly (typeof operation.selectionSet.selections)[number][]): void => {
        for (const s of selections) {
          if (s.kind === Kind.FIELD) count++;
          else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet.selections);
          else {
            const fragment = context.getFragment(s.name.value);
            if (fragment) walk(fragment.selectionSet.selections);
          }
        }
      };
      walk(operation.selectionSet.selections);
      if (count > max) context.reportError(limitError(`The operation selects ${count} root fields; at most ${max} are allowed.`));
    },
  });
}

/** Validation rules for depth, aliases and root fields (GraphQL Armor for the first two): checked once per document. */
export function operationLimitRules(limits: OperationLimits): ValidationRule[] {
  // GraphQL Armor throws by default; reported instead, every limit an operation breaks is named.
  const report = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)] };
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, exposeLimits: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, ...report }),
    maxRootFieldsRule(limits.maxRootFields),
  ];
}

/** Checks a valid document against the limit rules; each error carries OPERATION_LIMIT_EXCEEDED (GraphQL Armor reports plain ones). */
export function checkOperationLimits(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]): GraphQLError[] {
  // Armor prefixes "Syntax Error: ", which these are not.
  return validate(schema, document, rules).map(
    (e) => new GraphQLError(e.message.replace(/^Syntax Error: /, ''), { nodes: e.nodes, extensions: { ...e.extensions, code: ErrorCode.OPERATION_LIMIT_EXCEEDED } }),
  );
}

/** A field's selection counted once per item it may return: `first` / `limit`, or how many `skus` it was given. */
const listSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : Array.isArray(args.skus) ? args.skus.length : 1;
  return 1 + Math.max(1, size) * childComplexity;
};

/** The operation's estimated cost with these variables; an error when it is over the limit. */
export function checkOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  maxCost: number,
): GraphQLError | undefined {
  // Introspection reads the schema in process and costs no subgraph anything (GraphiQL sends it on every load).
  if (operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))) return undefined;
  const cost = costOf(schema, document, operation, variables);
  return cost > maxCost ? limitError(`The operation's estimated cost is ${cost}; at most ${maxCost} is allowed (lists count by their first/limit).`) : undefined;
}

/** Costs worked out, per operation (of one schema) and variables: clients send the same few operations with the same few variables. */
const costs = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, Map<string, number>>>();

/** The operation's estimated cost, walked once per operation and variables (at most 100 sets of variables of up to 1 KiB kept per operation). */
function costOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  let bySchema = costs.get(schema);
  if (!bySchema) costs.set(schema, (bySchema = new WeakMap()));
  let byVariables = bySchema.get(operation);
  if (!byVariables || byVariables.size >= 100) bySchema.set(operation, (byVariables = new Map()));
  const key = operation.variableDefinitions?.length ? JSON.stringify(variables) : '';
  let cost = byVariables.get(key);
  if (cost === undefined) {
    const operationName = operation.name?.value;
    cost = getComplexity({ schema, query: document, variables, ...(operationName ? { operationName } : {}), estimators: [listSizeEstimator] });
    // Large variables (a long search text) are not kept as a key: a caller could fill memory with them.
    if (key.length <= 1024) byVariables.set(key, cost);
  }
  return cost;
}
