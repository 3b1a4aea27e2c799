/** Disjoint sets over 0..n-1 with path halving and union by size: near-constant time per operation. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(readonly count: number) {
    this.parent = Int32Array.from({ length: count }, (_, i) => i);
    this.size = new Int32Array(count).fill(1);
  }

  find(x: number): number {
    let node = x;
    while (this.parent[node] !== node) {
      this.parent[node] = this.parent[this.parent[node] as number] as number;
      node = this.parent[node] as number;
    }
    return node;
  }

  /** Joins the sets of `a` and `b`; false when they already were one. */
  union(a: number, b: number): boolean {
    let [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return false;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
    return true;
  }

  /** Every set as its members in ascending order, sets ordered by their smallest member. */
  groups(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.count; i++) {
      const root = this.find(i);
      const group = byRoot.get(root);
      if (group) group.push(i);
      else byRoot.set(root, [i]);
    }
    return [...byRoot.values()];
  }
}
