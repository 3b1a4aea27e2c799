import { describe, expect, it } from 'vitest';
import { describeSoqlError, parseSoql, SoqlError } from './soql-parser.js';
import { tokenize } from './soql-tokenizer.js';

const refusal = (soql: string): SoqlError => {
  try {
    parseSoql(soql);
  } catch (err) {
    if (err instanceof SoqlError) return err;
    throw err;
  }
  throw new Error(`accepted: ${soql}`);
};

describe('tokenize', () => {
  it('reads words, unescaped strings, datetimes, numbers and operators with their offsets', () => {
    const tokens = tokenize(`Email='o\\'neil@x.com' AND CreatedDate>=2026-01-01T00:00:00.000+02:00 LIMIT 10`);
    expect(tokens.map((t) => [t.kind, t.text, t.offset])).toEqual([
      ['word', 'Email', 0],
      ['operator', '=', 5],
      ['string', "o'neil@x.com", 6],
      ['word', 'AND', 22],
      ['word', 'CreatedDate', 26],
      ['operator', '>=', 37],
      ['datetime', '2026-01-01T00:00:00.000+02:00', 39],
      ['word', 'LIMIT', 69],
      ['number', '10', 75],
      ['eof', '<EOF>', 77],
    ]);
  });

  it('spells <> as !=', () => {
    expect(tokenize('a <> b')[1]).toMatchObject({ kind: 'operator', text: '!=' });
  });
});

describe('parseSoql', () => {
  it('parses the whole documented subset, keywords and field names in any case', () => {
    const query = parseSoql(
      `select id, EMAIL, Loyalty_Id__c from contact where Email = 'A@B.com' and Phone != null and LastName = NULL ` +
        `and Id in ('003A', '003B') and CreatedDate > 2026-01-01T00:00:00Z and Name != 'x' order by lastmodifieddate desc limit 5 offset 10`,
    );
    expect(query).toEqual({
      fields: ['Id', 'Email', 'Loyalty_Id__c'],
      conditions: [
        { field: 'Email', operator: '=', value: 'A@B.com' },
        { field: 'Phone', operator: '!=', value: null },
        { field: 'LastName', operator: '=', value: null },
        { field: 'Id', operator: 'IN', values: ['003A', '003B'] },
        { field: 'CreatedDate', operator: '>', value: Date.parse('2026-01-01T00:00:00Z') },
        { field: 'Name', operator: '!=', value: 'x' },
      ],
      orderBy: { field: 'LastModifiedDate', direction: 'DESC' },
      limit: 5,
      offset: 10,
    });
  });

  it('defaults ORDER BY to ascending and leaves optional clauses out', () => {
    expect(parseSoql('SELECT Id FROM Contact ORDER BY Email')).toEqual({ fields: ['Id'], conditions: [], orderBy: { field: 'Email', direction: 'ASC' } });
    expect(parseSoql('SELECT Id FROM Contact ORDER BY Email ASC LIMIT 1')).toMatchObject({ orderBy: { direction: 'ASC' }, limit: 1 });
  });

  it('compares dates with every range operator, with offsets', () => {
    for (const op of ['<', '<=', '>', '>=', '=', '!=']) {
      expect(parseSoql(`SELECT Id FROM Contact WHERE LastModifiedDate ${op} 2026-03-01T10:00:00-05:00`).conditions).toEqual([
        { field: 'LastModifiedDate', operator: op, value: Date.parse('2026-03-01T15:00:00Z') },
      ]);
    }
  });

  it.each([
    ['SELECT Id FROM Contact WHERE', 'unexpected token: <EOF>'],
    ['SELECT FROM Contact', 'unexpected token: FROM'],
    ['SELECT Id, FROM Contact', 'unexpected token: FROM'],
    ['SELECT Id FROM Contact WHERE Email = \'a\' OR Email = \'b\'', 'unexpected token: OR'],
    ['SELECT Id FROM Contact WHERE (Email = \'a\')', 'unexpected token: ('],
    ['SELECT Id FROM Contact WHERE Email LIKE \'a%\'', 'unexpected token: LIKE'],
    ['SELECT Id FROM Contact WHERE LastName > \'M\'', 'unexpected token: >'],
    ['SELECT Id FROM Contact WHERE CreatedDate > null', 'unexpected token: null'],
    ['SELECT Id FROM Contact WHERE CreatedDate IN (\'x\')', 'unexpected token: IN'],
    ['SELECT Id FROM Contact WHERE CreatedDate > TODAY', 'unexpected token: TODAY'],
    ['SELECT Id FROM Contact WHERE Id IN ()', 'unexpected token: )'],
    ['SELECT Id FROM Contact LIMIT 5 ORDER BY Id', 'unexpected token: ORDER'],
    ['SELECT Id FROM Contact LIMIT ten', 'unexpected token: ten'],
    ['SELECT Id FROM Contact LIMIT 50001', 'The number 50001 is out of range'],
    ['SELECT Id FROM Contact ORDER BY Id, Email', 'unexpected token: ,'],
    ['SELECT Id FROM Contact WHERE Email = \'open', 'unexpected token: unterminated string literal'],
    ['SELECT Id FROM Contact WHERE Email = \'a\\q\'', 'Invalid string literal: bad escape sequence'],
    ['SELECT Id, Id FROM Contact', 'duplicate field selected: Id'],
    ['SELECT COUNT() FROM Contact', "No such column 'COUNT' on entity 'Contact'"],
    ['SELECT Id FROM Account', "sObject type 'Account' is not supported."],
    ['SELECT Id FROM Contact; DROP', "unexpected token: ';'"],
    ['DELETE FROM Contact', 'unexpected token: DELETE'],
    ['', 'unexpected token: <EOF>'],
  ])('refuses %j', (soql, message) => {
    const error = refusal(soql);
    expect(error.message).toContain(message);
    expect(['MALFORMED_QUERY', 'INVALID_FIELD']).toContain(error.errorCode);
  });

  it('answers INVALID_FIELD for unknown fields and values of the wrong type', () => {
    expect(refusal('SELECT Id, Shoe_Size__c FROM Contact')).toMatchObject({ errorCode: 'INVALID_FIELD', offset: 11 });
    expect(refusal('SELECT Id FROM Contact WHERE Foo = \'x\'').errorCode).toBe('INVALID_FIELD');
    expect(refusal('SELECT Id FROM Contact ORDER BY Foo').errorCode).toBe('INVALID_FIELD');
    expect(refusal("SELECT Id FROM Contact WHERE CreatedDate > '2026-01-01T00:00:00Z'").message).toContain('must be of type dateTime');
    expect(refusal('SELECT Id FROM Contact WHERE Email = 2026-01-01T00:00:00Z').message).toContain('must be of type string');
    expect(refusal('SELECT Id FROM Contact WHERE Email = 42').errorCode).toBe('INVALID_FIELD');
  });

  it('points at the offending row and column the way Salesforce does', () => {
    const soql = 'SELECT Id\nFROM Contact WHERE';
    expect(describeSoqlError(soql, refusal(soql))).toBe('\nFROM Contact WHERE\n                  ^\nERROR at Row:2:Column:19\nunexpected token: <EOF>');
  });
});
