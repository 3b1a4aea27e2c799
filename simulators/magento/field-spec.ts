/** One searchable value; undefined is SQL NULL (a guest order's customer_id): no condition matches it. */
export type FieldValue = number | string | undefined;

export type FieldKind = 'number' | 'string' | 'date';

/** How one searchCriteria field reads from a record and compares. */
export interface FieldSpec<R> {
  /**
   * `string` compares case-insensitively, as MySQL's default collation does;
   * `date` holds `YYYY-MM-DD HH:MM:SS` and compares as text.
   */
  kind: FieldKind;
  /** The value, or every value of a multi-valued field (a product's category ids). */
  get: (record: R) => FieldValue | readonly FieldValue[];
  /** `eq`/`in` on this field look records up in a Map instead of scanning them all. */
  indexed?: boolean;
}

export const isMulti = (value: FieldValue | readonly FieldValue[]): value is readonly FieldValue[] => Array.isArray(value);

/** A comparable key: strings lower-cased, so keys, operands and sort order agree with the collation. */
export const keyOf = (value: number | string): number | string => (typeof value === 'string' ? value.toLowerCase() : value);

/** Ascending order of two keys of the same kind. */
export const compareKeys = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);
