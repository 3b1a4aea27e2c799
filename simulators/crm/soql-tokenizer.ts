/**
 * Splits a SOQL text into tokens, each with the offset it starts at, so errors
 * can point at the offending place the way Salesforce does.
 */
export type TokenKind = 'word' | 'string' | 'number' | 'datetime' | 'operator' | 'comma' | 'lparen' | 'rparen' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The text as written; for strings, the unescaped value without quotes. */
  text: string;
  /** 0-based offset in the query text. */
  offset: number;
}

export class SoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** `2026-01-01T00:00:00Z`, with optional milliseconds and a `Z` or `±hh:mm` offset. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})/;
const NUMBER = /^\d+/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATOR = /^(?:!=|<>|<=|>=|=|<|>)/;
/** Tried in this order: a datetime starts with digits, so it goes before a plain number. */
const PATTERNS: Array<[TokenKind, RegExp]> = [
  ['datetime', DATETIME],
  ['number', NUMBER],
  ['word', WORD],
  ['operator', OPERATOR],
];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    if (ch === "'") {
      const [value, length] = readString(soql, i);
      tokens.push({ kind: 'string', text: value, offset: i });
      i += length;
      continue;
    }
    const single = ch === ',' ? 'comma' : ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : undefined;
    if (single) {
      tokens.push({ kind: single, text: ch, offset: i });
      i++;
      continue;
    }
    const match = PATTERNS.map(([kind, pattern]) => [kind, pattern.exec(rest)] as const).find(([, m]) => m !== null);
    if (!match || !match[1]) throw new SoqlSyntaxError(`unexpected token: '${ch}'`, i);
    const [kind, found] = match;
    const text = (found as RegExpExecArray)[0];
    // `2026x` or `12abc` is neither a number nor a word.
    if ((kind === 'number' || kind === 'datetime') && /[A-Za-z0-9_]/.test(soql[i + text.length] ?? '')) {
      throw new SoqlSyntaxError(`unexpected token: '${rest.split(/[\s,()]/)[0]}'`, i);
    }
    tokens.push({ kind, text: text === '<>' ? '!=' : text, offset: i });
    i += text.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: soql.length });
  return tokens;
}

/** Reads a single-quoted literal starting at `start`; returns its value and how many characters it spans. */
function readString(soql: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < soql.length) {
    const ch = soql[i] as string;
    if (ch === "'") return [value, i - start + 1];
    if (ch === '\\') {
      const escaped = ESCAPES[soql[i + 1] ?? ''];
      if (escaped === undefined) throw new SoqlSyntaxError(`Invalid string literal: bad escape sequence`, i);
      value += escaped;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  throw new SoqlSyntaxError('unexpected token: unterminated string literal', start);
}
