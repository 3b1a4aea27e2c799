import { describe, expect, it } from 'vitest';
import { DateTimeScalar, DecimalScalar, decimal } from './scalars.js';

describe('Decimal', () => {
  it('carries amounts as strings and refuses anything else', () => {
    expect(DecimalScalar.serialize('19.99')).toBe('19.99');
    expect(DecimalScalar.parseValue('-0.5')).toBe('-0.5');
    expect(() => DecimalScalar.parseValue(19.99)).toThrow(/string/);
    expect(() => DecimalScalar.serialize('19,99')).toThrow();
  });

  it('formats float amounts without float noise', () => {
    expect(decimal(0.1 + 0.2)).toBe('0.30');
    expect(decimal(113)).toBe('113.00');
  });
});

describe('DateTime', () => {
  it('serializes dates and strings to ISO-8601 UTC and refuses garbage', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2026, 10, 23, 8)))).toBe('2026-11-23T08:00:00.000Z');
    expect(DateTimeScalar.serialize('2026-05-03 00:00:00Z')).toBe('2026-05-03T00:00:00.000Z');
    expect(() => DateTimeScalar.serialize('yesterday')).toThrow(/DateTime/);
  });

  it('takes only instants that name their zone as input', () => {
    expect(DateTimeScalar.parseValue('2026-11-23T08:00:00+01:00')).toEqual(new Date('2026-11-23T07:00:00Z'));
    expect(() => DateTimeScalar.parseValue('2026-11-23 08:00')).toThrow(/zone/);
    expect(() => DateTimeScalar.parseValue('1')).toThrow(/zone/);
  });
});
