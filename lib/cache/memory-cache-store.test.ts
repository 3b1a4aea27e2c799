import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from './memory-cache-store.js';

describe('memoryCacheStore', () => {
  it('keeps entries within their age whatever their number, the least recently used going first past `max`', async () => {
    const store = memoryCacheStore<string>({ max: 2, retainMs: 60_000, now: () => 10 });
    await store.setMany([
      ['a', { value: 'A', readAt: 0 }],
      ['b', { value: 'B', readAt: 1 }],
    ]);
    expect([...(await store.getMany(['a'])).keys()]).toEqual(['a']);
    await store.setMany([['c', { value: 'C', readAt: 2 }]]);
    expect(await store.getMany(['a', 'b', 'c', 'd'])).toEqual(
      new Map([
        ['a', { value: 'A', readAt: 0 }],
        ['c', { value: 'C', readAt: 2 }],
      ]),
    );
  });

  it('bounds the total size with `sizeOf`', async () => {
    const store = memoryCacheStore<string[]>({ max: 4, sizeOf: (list) => list.length, retainMs: 60_000 });
    const readAt = Date.now();
    await store.setMany([
      ['one', { value: ['x', 'y', 'z'], readAt }],
      ['two', { value: ['x', 'y'], readAt }],
    ]);
    expect([...(await store.getMany(['one', 'two'])).keys()]).toEqual(['two']);
  });

  it('drops an entry `retainMs` after it was read from its source, as Redis expires it; the span may depend on the value', async () => {
    const clock = { now: 1_000 };
    const store = memoryCacheStore<string | null>({ max: 10, retainMs: (value) => (value === null ? 100 : 1_000), now: () => clock.now });
    await store.setMany([
      ['kept', { value: 'K', readAt: 1_000 }],
      ['none', { value: null, readAt: 1_000 }],
      ['old', { value: 'O', readAt: 0 }],
    ]);
    clock.now = 1_100;
    expect([...(await store.getMany(['kept', 'none', 'old'])).keys()]).toEqual(['kept', 'none']);
    clock.now = 1_101;
    expect([...(await store.getMany(['kept', 'none', 'old'])).keys()]).toEqual(['kept']);
    clock.now = 2_001;
    expect(await store.getMany(['kept'])).toEqual(new Map());
  });

  it('keeps nothing written after it is closed', async () => {
    const store = memoryCacheStore<string>({ max: 10, retainMs: 60_000 });
    await store.close();
    await store.setMany([['late', { value: 'L', readAt: Date.now() }]]);
    expect(await store.getMany(['late'])).toEqual(new Map());
  });
});
