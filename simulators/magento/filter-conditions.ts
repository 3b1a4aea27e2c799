import { parseMagentoDate } from './magento-date.js';
import { badRequest } from './magento-errors.js';
import { isMulti, keyOf, type FieldKind, type FieldSpec } from './field-spec.js';
import type { Filter } from './search-criteria.js';

type Key = number | string;

/** A filter's value as a key of the field's kind; a value the field cannot hold is a 400. */
export function operandKey(text: string, kind: FieldKind, field: string): Key {
  if (kind === 'number') {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n)) throw badRequest('"%value" is not a valid value for "%fieldName".', { fieldName: field, value: text });
    return n;
  }
  if (kind === 'date') {
    const date = parseMagentoDate(text);
    if (date === undefined) throw badRequest('"%value" is not a valid date for "%fieldName".', { fieldName: field, value: text });
    return date;
  }
  return keyOf(text);
}

/** `in`/`nin` take comma-separated values. */
export const listOf = (text: string): string[] => text.split(',').map((v) => v.trim()).filter((v) => v !== '');

/** MySQL LIKE: `%` any run, `_` one character, `\` escapes the next one; case-insensitive. */
export function likePattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i] as string);
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, 'is');
}

const escapeRegExp = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The test of one condition against one (non-null) key. */
function keyTest(filter: Filter, kind: FieldKind): (key: Key) => boolean {
  const operand = (text: string) => operandKey(text, kind, filter.field);
  switch (filter.conditionType) {
    case 'eq': {
      const a = operand(filter.value);
      return (k) => k === a;
    }
    case 'neq': {
      const a = operand(filter.value);
      return (k) => k !== a;
    }
    case 'in': {
      const set = new Set(listOf(filter.value).map(operand));
      return (k) => set.has(k);
    }
    case 'nin': {
      const set = new Set(listOf(filter.value).map(operand));
      return (k) => !set.has(k);
    }
    case 'like': {
      // LIKE compares text: a number or date matches by how it is written.
      const re = likePattern(filter.value);
      return (k) => re.test(String(k));
    }
    case 'gt': {
      const a = operand(filter.value);
      return (k) => k > a;
    }
    case 'gteq': {
      const a = operand(filter.value);
      return (k) => k >= a;
    }
    case 'lt': {
      const a = operand(filter.value);
      return (k) => k < a;
    }
    case 'lteq': {
      const a = operand(filter.value);
      return (k) => k <= a;
    }
  }
}

/**
 * One filter as a predicate over records. NULL matches nothing, not even
 * `neq` (SQL). A multi-valued field matches a positive condition when any of
 * its values does, and `neq`/`nin` when none of its values is excluded.
 */
export function compileFilter<R>(filter: Filter, spec: FieldSpec<R>): (record: R) => boolean {
  const test = keyTest(filter, spec.kind);
  const one = (v: number | string | undefined) => v !== undefined && test(keyOf(v));
  const negated = filter.conditionType === 'neq' || filter.conditionType === 'nin';
  return (record) => {
    const value = spec.get(record);
    if (!isMulti(value)) return one(value);
    return negated ? value.every(one) : value.some(one);
  };
}
