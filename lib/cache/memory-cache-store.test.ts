import { describe, expect, it } from 'vitest';
import { memoryCacheStore } from './memory-cache-store.js';

describe('memoryCacheStore', () => {
  it('keeps entries whatever their age, the least recently used going first past `max`', async () => {
    const store = memoryCacheStore<string>({ max: 2 });
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
    const store = memoryCacheStore<string[]>({ max: 4, sizeOf: (list) => list.length });
    await store.setMany([
      ['one', { value: ['x', 'y', 'z'], readAt: 0 }],
      ['two', { value: ['x', 'y'], readAt: 0 }],
    ]);
    expect([...(await store.getMany(['one', 'two'])).keys()]).toEqual(['two']);
  });
});
