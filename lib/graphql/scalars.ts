import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A decimal as a string ("19.99"): money never travels as a float. */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'A decimal number as a string, e.g. "19.99".',
  serialize(value) {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !DECIMAL.test(text)) throw new GraphQLError(`Decimal cannot represent ${String(value)}`);
    return text;
  },
  parseValue(value) {
    if (typeof value !== 'string' || !DECIMAL.test(value)) throw new GraphQLError('Decimal must be a string like "19.99".');
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !DECIMAL.test(ast.value)) throw new GraphQLError('Decimal must be a string like "19.99".', { nodes: ast });
    return ast.value;
  },
});

const toIso = (value: unknown): string => {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
  return date.toISOString();
};

/** Inputs must name their zone: a bare "2026-11-23 08:00" would be read in the server's local time. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const parseInstant = (value: unknown): Date => {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) throw new GraphQLError('DateTime must be an ISO-8601 instant with a zone, e.g. "2026-11-23T08:00:00Z".');
  return new Date(toIso(value));
};

/** An ISO-8601 instant in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 instant in UTC, e.g. "2026-11-23T08:00:00.000Z".',
  serialize: toIso,
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string.', { nodes: ast });
    return parseInstant(ast.value);
  },
});

/** Writes a money amount the way Decimal carries it: two decimals, no float noise. */
export function decimal(amount: number, fractionDigits = 2): string {
  return amount.toFixed(fractionDigits);
}
