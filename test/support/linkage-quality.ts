/**
 * Pairwise precision and recall of a linkage against ground truth: of the
 * record pairs put together, how many are truly one person (precision), and
 * of the pairs that are truly one person, how many were put together (recall).
 */
export interface LinkageQuality {
  precision: number;
  recall: number;
  /** Pairs the linkage put in one group. */
  linkedPairs: number;
  /** Pairs that truly are one person. */
  truePairs: number;
  /** Pairs both linked and truly one person. */
  correctPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** `groups` are indices into the records; `truth(i)` is the real person behind record `i`. */
export function linkageQuality(groups: readonly (readonly number[])[], truth: (index: number) => number): LinkageQuality {
  let linkedPairs = 0;
  let correctPairs = 0;
  const perPerson = new Map<number, number>();
  for (const group of groups) {
    linkedPairs += pairs(group.length);
    const inGroup = new Map<number, number>();
    for (const index of group) {
      const person = truth(index);
      inGroup.set(person, (inGroup.get(person) ?? 0) + 1);
      perPerson.set(person, (perPerson.get(person) ?? 0) + 1);
    }
    for (const count of inGroup.values()) correctPairs += pairs(count);
  }
  let truePairs = 0;
  for (const count of perPerson.values()) truePairs += pairs(count);
  return {
    precision: linkedPairs === 0 ? 1 : correctPairs / linkedPairs,
    recall: truePairs === 0 ? 1 : correctPairs / truePairs,
    linkedPairs,
    truePairs,
    correctPairs,
  };
}
