import { describe, expect, it } from 'vitest';
import { linkageQuality } from './linkage-quality.js';

describe('linkageQuality', () => {
  it('counts pairs linked, truly one person, and both', () => {
    // Records 0-2 are person A, 3-4 person B; the linkage wrongly joins 2 with 3 and misses 0-1.
    const truth = (i: number) => (i <= 2 ? 0 : 1);
    const quality = linkageQuality([[0], [1, 2, 3, 4]], truth);
    expect(quality).toEqual({ linkedPairs: 6, truePairs: 4, correctPairs: 2, precision: 2 / 6, recall: 2 / 4 });
    expect(linkageQuality([[0, 1, 2], [3, 4]], truth)).toMatchObject({ precision: 1, recall: 1 });
    expect(linkageQuality([[0], [1]], () => 0)).toMatchObject({ precision: 1, recall: 0 });
  });
});
