import type { CrmContact } from '../data/dataset.js';
import { fieldValue } from './contact-fields.js';
import type { Condition, SoqlQuery } from './soql-parser.js';

/**
 * The org's contacts, with a Map by Id so `Id = '…'` and `Id IN (…)` (how a
 * connector batches lookups) cost one probe per id instead of a scan.
 * Ids are keyed lower-case: SOQL compares strings case-insensitively.
 */
export class ContactStore {
  /** Each contact with its position in the org, so lookups can answer in org order. */
  private readonly byId: Map<string, { contact: CrmContact; position: number }>;

  constructor(readonly contacts: readonly CrmContact[]) {
    this.byId = new Map(contacts.map((contact, position) => [contact.Id.toLowerCase(), { contact, position }]));
  }

  get(id: string): CrmContact | undefined {
    return this.byId.get(id.toLowerCase())?.contact;
  }

  /** Every contact the query matches, ordered, with LIMIT and OFFSET applied. */
  run(query: SoqlQuery): CrmContact[] {
    const idCondition = query.conditions.find((c) => c.field === 'Id' && (c.operator === 'IN' || (c.operator === '=' && c.value !== null)));
    const candidates = idCondition ? this.lookUp(idCondition) : this.contacts;
    const rest = query.conditions.filter((c) => c !== idCondition);
    let matched = candidates.filter((contact) => rest.every((c) => matches(contact, c)));
    if (query.orderBy) {
      const { field, direction } = query.orderBy;
      const sign = direction === 'ASC' ? 1 : -1;
      // Salesforce puts nulls first ascending and last descending; the sort is stable for ties.
      matched = [...matched].sort((a, b) => sign * compare(fieldValue(a, field), fieldValue(b, field)));
    }
    const offset = query.offset ?? 0;
    return matched.slice(offset, query.limit === undefined ? undefined : offset + query.limit);
  }

  /** Contacts named by an `Id` condition, in org order, each once. */
  private lookUp(condition: Condition): CrmContact[] {
    const ids = condition.operator === 'IN' ? condition.values : [condition.value as string];
    const found = new Map<number, CrmContact>();
    for (const id of ids) {
      const hit = this.byId.get(id.toLowerCase());
      if (hit) found.set(hit.position, hit.contact);
    }
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, contact]) => contact);
  }
}

function matches(contact: CrmContact, condition: Condition): boolean {
  const actual = fieldValue(contact, condition.field);
  if (condition.operator === 'IN') {
    return typeof actual === 'string' && condition.values.some((v) => v.toLowerCase() === actual.toLowerCase());
  }
  const { operator, value } = condition;
  if (value === null) return operator === '=' ? actual === null : actual !== null;
  if (actual === null) return operator === '!=';
  const order = compare(actual, value);
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** Nulls first; strings case-insensitively, as Salesforce compares them; numbers (instants) numerically. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a).toLowerCase(), String(b).toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}
