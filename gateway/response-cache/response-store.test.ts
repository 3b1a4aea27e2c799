import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANY_STOCK } from './cache-tags.js';
import { ResponseStore } from './response-store.js';

const operation = parse('{ a }').definitions[0] as OperationDefinitionNode;
const response = (body: string) => ({ body: Buffer.from(body), headers: { 'content-type': 'application/json' }, operation });
const MINUTE = 60_000;

describe('response store', () => {
  it('drops stock entries by the SKUs they were read for, and ANY_STOCK ones on every event', () => {
    const store = new ResponseStore({ maxBytes: 1 << 20 });
    store.set('a', response('A'), ['sku-1', 'sku-2'], MINUTE, store.epoch);
    store.set('b', response('B'), ['sku-3'], MINUTE, store.epoch);
    store.set('any', response('*'), ANY_STOCK, MINUTE, store.epoch);
    store.set('catalog', response('C'), [], MINUTE, store.epoch);
    store.invalidate(['sku-2']);
    expect(store.get('a')).toBeUndefined();
    expect(store.get('any')).toBeUndefined();
    expect(store.get('b')?.body.toString()).toBe('B');
    expect(store.get('catalog')?.body.toString()).toBe('C');
    store.invalidateStock();
    expect(store.get('b')).toBeUndefined();
    expect(store.get('catalog')?.body.toString()).toBe('C');
  });

  it('refuses an entry an event invalidated while its request ran', () => {
    const store = new ResponseStore({ maxBytes: 1 << 20 });
    const since = store.epoch;
    store.invalidate(['sku-1']);
    expect(store.set('hit', response('x'), ['sku-1'], MINUTE, since)).toBe(false);
    expect(store.set('other', response('y'), ['sku-9'], MINUTE, since)).toBe(true);
    expect(store.set('any', response('z'), ANY_STOCK, MINUTE, since)).toBe(false);
    // Product data alone is not touched by stock events.
    expect(store.set('catalog', response('c'), [], MINUTE, since)).toBe(true);
  });

  it('refuses when more invalidations passed than it remembers', () => {
    const store = new ResponseStore({ maxBytes: 1 << 20, history: 2 });
    const since = store.epoch;
    for (const sku of ['a', 'b', 'c']) store.invalidate([sku]);
    expect(store.set('k', response('x'), ['z'], MINUTE, since)).toBe(false);
    expect(store.set('k', response('x'), ['z'], MINUTE, store.epoch)).toBe(true);
  });

  it('keeps within its bytes, least recently used out first, and unindexes what it evicts', () => {
    const store = new ResponseStore({ maxBytes: 3 * (1000 + 1 + 256) });
    for (const key of ['1', '2', '3']) store.set(key, response('x'.repeat(1000)), [`sku-${key}`], MINUTE, store.epoch);
    store.get('1');
    store.set('4', response('x'.repeat(1000)), ['sku-4'], MINUTE, store.epoch);
    expect(store.get('2')).toBeUndefined();
    expect(store.get('1')).toBeDefined();
    expect(store.size).toBe(3);
    // The evicted entry's tag no longer points at it: an untagged entry under its key outlives that tag's invalidation.
    store.set('2', response('y'), [], MINUTE, store.epoch);
    store.invalidate(['sku-2']);
    expect(store.get('2')).toBeDefined();
    expect(store.set('huge', response('x'.repeat(10_000)), ['sku-5'], MINUTE, store.epoch)).toBe(false);
  });
});
