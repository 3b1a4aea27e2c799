import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, QueryLocators } from './query-locators.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('QueryLocators', () => {
  it('answers small results in one batch without a locator', () => {
    expect(new QueryLocators<number>().first(rows(BATCH_SIZE))).toEqual({ total: BATCH_SIZE, rows: rows(BATCH_SIZE) });
  });

  it('walks a large result batch by batch, and a batch can be asked again', () => {
    const locators = new QueryLocators<number>();
    const first = locators.first(rows(4_500));
    expect(first).toMatchObject({ total: 4_500, next: expect.stringMatching(/^01g[0-9A-Z]{15}-2000$/) });
    const second = locators.batch(first.next!)!;
    expect(second.rows[0]).toBe(2_000);
    const third = locators.batch(second.next!)!;
    expect(third).toEqual({ total: 4_500, rows: rows(4_500).slice(4_000) });
    expect(locators.batch(second.next!)).toEqual(third);
  });

  it('forgets locators after 15 idle minutes and refuses made-up ones', () => {
    let now = 0;
    const locators = new QueryLocators<number>(() => now);
    const { next } = locators.first(rows(2_001));
    now += 15 * 60_000 + 1;
    expect(locators.batch(next!)).toBeUndefined();
    expect(locators.batch('01g000000000000ZZZ-2000')).toBeUndefined();
    expect(locators.batch('garbage')).toBeUndefined();
  });
});
