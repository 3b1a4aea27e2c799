import { describe, expect, it } from 'vitest';
import { UnionFind } from './union-find.js';

describe('UnionFind', () => {
  it('joins sets transitively and lists them by smallest member', () => {
    const sets = new UnionFind(7);
    expect(sets.union(5, 1)).toBe(true);
    expect(sets.union(3, 6)).toBe(true);
    expect(sets.union(6, 5)).toBe(true);
    expect(sets.union(1, 3)).toBe(false);
    expect(sets.find(6)).toBe(sets.find(1));
    expect(sets.groups()).toEqual([[0], [1, 3, 5, 6], [2], [4]]);
  });

  it('stays shallow over long chains', () => {
    const sets = new UnionFind(100_000);
    for (let i = 1; i < 100_000; i++) sets.union(i - 1, i);
    expect(sets.groups()).toHaveLength(1);
  });
});
