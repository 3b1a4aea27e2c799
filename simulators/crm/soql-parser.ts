import { DATE_FIELDS, resolveContactField, type ContactField } from './contact-fields.js';
import { SoqlSyntaxError, tokenize, type Token } from './soql-tokenizer.js';

/**
 * The SOQL subset of docs/upstream-apis.md, on Contact only:
 * `SELECT f, … FROM Contact [WHERE c [AND c]…] [ORDER BY f [ASC|DESC]] [LIMIT n] [OFFSET n]`.
 * Anything outside it is refused the way Salesforce refuses bad SOQL.
 */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  /** String fields: `=`/`!=` a string or null. Date fields: any comparison with an instant (epoch ms), or `=`/`!=` null. */
  | { field: ContactField; operator: ComparisonOperator; value: string | number | null }
  | { field: ContactField; operator: 'IN'; values: string[] };

export interface SoqlQuery {
  fields: ContactField[];
  conditions: Condition[];
  orderBy?: { field: ContactField; direction: 'ASC' | 'DESC' };
  limit?: number;
  offset?: number;
}

export type SoqlErrorCode = 'MALFORMED_QUERY' | 'INVALID_FIELD';

export class SoqlError extends Error {
  constructor(
    readonly errorCode: SoqlErrorCode,
    readonly detail: string,
    readonly offset: number,
  ) {
    super(detail);
  }
}

/** Parses `soql`; throws a `SoqlError` pointing at the first offending token. */
export function parseSoql(soql: string): SoqlQuery {
  let tokens: Token[];
  try {
    tokens = tokenize(soql);
  } catch (err) {
    if (err instanceof SoqlSyntaxError) throw new SoqlError('MALFORMED_QUERY', err.message, err.offset);
    throw err;
  }
  return new Parser(tokens).query();
}

/**
 * Salesforce's error text: the query, a caret under the offending column, its
 * row and column, and what went wrong.
 */
export function describeSoqlError(soql: string, error: SoqlError): string {
  const before = soql.slice(0, error.offset).split('\n');
  const row = before.length;
  const column = (before[before.length - 1] as string).length + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${error.detail}`;
}

const MAX_LIMIT = 50_000;
/** Words that can never name a field: `SELECT FROM …` is a syntax error, not an unknown column. */
const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'ORDER', 'BY', 'LIMIT', 'OFFSET', 'IN', 'NULL', 'ASC', 'DESC', 'LIKE', 'TRUE', 'FALSE']);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): SoqlQuery {
    this.keyword('SELECT');
    const fields = this.fieldList();
    this.keyword('FROM');
    const object = this.expect('word');
    if (object.text.toLowerCase() !== 'contact') {
      throw new SoqlError('MALFORMED_QUERY', `sObject type '${object.text}' is not supported.`, object.offset);
    }
    const query: SoqlQuery = { fields, conditions: [] };
    if (this.acceptKeyword('WHERE')) {
      query.conditions.push(this.condition());
      while (this.acceptKeyword('AND')) query.conditions.push(this.condition());
    }
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      const field = this.field();
      let direction: 'ASC' | 'DESC' = 'ASC';
      if (this.acceptKeyword('DESC')) direction = 'DESC';
      else this.acceptKeyword('ASC');
      query.orderBy = { field, direction };
    }
    if (this.acceptKeyword('LIMIT')) query.limit = this.count(MAX_LIMIT);
    if (this.acceptKeyword('OFFSET')) query.offset = this.count(Number.MAX_SAFE_INTEGER);
    const last = this.peek();
    if (last.kind !== 'eof') throw unexpected(last);
    return query;
  }

  private fieldList(): ContactField[] {
    const fields: ContactField[] = [];
    do {
      const token = this.peek();
      const field = this.field();
      if (fields.includes(field)) throw new SoqlError('MALFORMED_QUERY', `duplicate field selected: ${field}`, token.offset);
      fields.push(field);
    } while (this.accept('comma'));
    return fields;
  }

  private field(): ContactField {
    const token = this.expect('word');
    if (RESERVED.has(token.text.toUpperCase())) throw unexpected(token);
    const field = resolveContactField(token.text);
    if (!field) {
      throw new SoqlError(
        'INVALID_FIELD',
        `No such column '${token.text}' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        token.offset,
      );
    }
    return field;
  }

  private condition(): Condition {
    const field = this.field();
    const isDate = DATE_FIELDS.has(field);
    if (this.acceptKeyword('IN')) {
      if (isDate) throw unexpected(this.tokens[this.position - 1] as Token);
      this.expect('lparen');
      const values: string[] = [];
      do values.push(this.stringValue(field));
      while (this.accept('comma'));
      this.expect('rparen');
      return { field, operator: 'IN', values };
    }
    const operatorToken = this.expect('operator');
    const operator = operatorToken.text as ComparisonOperator;
    const valueToken = this.peek();
    if (this.acceptKeyword('NULL')) {
      if (operator !== '=' && operator !== '!=') throw unexpected(valueToken);
      return { field, operator, value: null };
    }
    if (isDate) return { field, operator, value: this.dateValue(field) };
    // Range comparisons on strings are outside the documented subset.
    if (operator !== '=' && operator !== '!=') throw unexpected(operatorToken);
    return { field, operator, value: this.stringValue(field) };
  }

  private stringValue(field: ContactField): string {
    const token = this.next();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'datetime' || token.kind === 'number') {
      throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field}' must be of type string and should be enclosed in quotes`, token.offset);
    }
    throw unexpected(token);
  }

  private dateValue(field: ContactField): number {
    const token = this.next();
    if (token.kind === 'datetime') return Date.parse(token.text);
    if (token.kind === 'string') {
      throw new SoqlError('INVALID_FIELD', `value of filter criterion for field '${field}' must be of type dateTime and should not be enclosed in quotes`, token.offset);
    }
    throw unexpected(token);
  }

  private count(max: number): number {
    const token = this.expect('number');
    const value = Number(token.text);
    if (!Number.isSafeInteger(value) || value > max) throw new SoqlError('MALFORMED_QUERY', `The number ${token.text} is out of range`, token.offset);
    return value;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  private accept(kind: Token['kind']): boolean {
    if (this.peek().kind !== kind) return false;
    this.position++;
    return true;
  }

  private expect(kind: Token['kind']): Token {
    const token = this.next();
    if (token.kind !== kind) throw unexpected(token);
    return token;
  }

  /** Keywords are case-insensitive. */
  private acceptKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.text.toUpperCase() !== keyword) return false;
    this.position++;
    return true;
  }

  private keyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw unexpected(this.peek());
  }
}

function unexpected(token: Token): SoqlError {
  const text = token.kind === 'string' ? `'${token.text}'` : token.text;
  return new SoqlError('MALFORMED_QUERY', `unexpected token: ${text}`, token.offset);
}
