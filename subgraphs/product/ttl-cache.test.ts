import { describe, expect, it } from 'vitest';
import { cachedValue } from './ttl-cache.js';

describe('cachedValue', () => {
  it('loads once, shares the load, reloads after the TTL, and never keeps a failure', async () => {
    let clock = 0;
    let loads = 0;
    let fail = false;
    const value = cachedValue(
      async () => {
        loads++;
        if (fail) throw new Error('down');
        return loads;
      },
      1_000,
      () => clock,
    );
    expect(await Promise.all([value(), value()])).toEqual([1, 1]);
    clock = 999;
    expect(await value()).toBe(1);
    clock = 1_000;
    fail = true;
    await expect(value()).rejects.toThrow('down');
    fail = false;
    expect(await value()).toBe(3);
    expect(loads).toBe(3);
  });
});
