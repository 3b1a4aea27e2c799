import { describe, expect, it, vi } from 'vitest';
import { metrics } from '../observability/metrics.js';
import { memoryCacheStore } from './memory-cache-store.js';
import { staleWhileRevalidate, type StaleWhileRevalidateOptions } from './stale-while-revalidate.js';

const TTL = 1_000;
const STALE = 10_000;
const RETRY = 500;

/**
 * A source of `value-of-<key>@<version>` for keys not starting with `missing`
 * (an Error for those), recording each batch; `down` fails every batch, and
 * `hold()` keeps batches waiting until `release()`.
 */
function fakeSource() {
  const batches: string[][] = [];
  const state = { down: false, version: 1 };
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  const load = vi.fn(async (keys: readonly string[]) => {
    batches.push([...keys]);
    const version = state.version;
    await gate;
    if (state.down) throw new Error('source is down');
    return keys.map((k) => (k.startsWith('missing') ? new Error(`no ${k}`) : `value-of-${k}@${version}`));
  });
  return {
    load,
    batches,
    state,
    hold: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    release: () => {
      gate = undefined;
      open?.();
    },
  };
}

let caches = 0;
function setup(options: Partial<StaleWhileRevalidateOptions<string>> = {}) {
  const clock = { now: 1_700_000_000_000 };
  const source = fakeSource();
  const name = `test-swr-${++caches}`;
  // Kept past both windows, so what the cache does with such an entry (a Redis entry written late) is seen.
  const store = memoryCacheStore<string>({ max: 100, retainMs: 10 * (TTL + STALE), now: () => clock.now });
  const cache = staleWhileRevalidate<string>({ name, store, load: source.load, ttlMs: TTL, staleMs: STALE, retryAfterMs: RETRY, now: () => clock.now, ...options });
  const counted = async () => {
    const { values } = await metrics.cacheRequests.get();
    return Object.fromEntries(values.filter((v) => v.labels.cache === name).map((v) => [v.labels.result, v.value]));
  };
  return { clock, source, store, cache, counted };
}

describe('staleWhileRevalidate', () => {
  it('serves a fresh entry without asking the source, and counts hits and misses', async () => {
    const { clock, source, cache, counted } = setup();
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@1', ageMs: 0, stale: false }]);
    clock.now += TTL;
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@1', ageMs: TTL, stale: false }]);
    expect(source.batches).toEqual([['a']]);
    expect(await counted()).toEqual({ miss: 1, hit: 1 });
  });

  it('batches the misses of one turn into one source read, and shares one read between lookups of a key', async () => {
    const { source, cache } = setup();
    const [one, two] = await Promise.all([cache.getMany(['a', 'b']), cache.getMany(['b', 'c'])]);
    expect(source.batches).toEqual([['a', 'b', 'c']]);
    expect(one.map((s) => !(s instanceof Error) && s.value)).toEqual(['value-of-a@1', 'value-of-b@1']);
    expect(two.map((s) => !(s instanceof Error) && s.value)).toEqual(['value-of-b@1', 'value-of-c@1']);
  });

  it('serves a stale entry at once and refreshes it in the background, once however many ask', async () => {
    const { clock, source, cache, counted } = setup();
    await cache.getMany(['a', 'b']);
    clock.now += TTL + 1;
    source.state.version = 2;
    source.hold();
    // Served while the refresh is still waiting on the source.
    const served = await Promise.all([cache.getMany(['a', 'b']), cache.getMany(['a'])]);
    expect(served).toEqual([
      [
        { value: 'value-of-a@1', ageMs: TTL + 1, stale: true, reason: 'refreshing' },
        { value: 'value-of-b@1', ageMs: TTL + 1, stale: true, reason: 'refreshing' },
      ],
      [{ value: 'value-of-a@1', ageMs: TTL + 1, stale: true, reason: 'refreshing' }],
    ]);
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@1', ageMs: TTL + 1, stale: true, reason: 'refreshing' }]);
    // One batched refresh for both keys, not one per lookup.
    await vi.waitFor(() => expect(source.batches).toEqual([['a', 'b'], ['a', 'b']]));
    expect(await counted()).toEqual({ miss: 2, stale: 4 });
    source.release();
    await vi.waitFor(async () => expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@2', ageMs: 0, stale: false }]));
    expect(source.batches).toHaveLength(2);
  });

  it('keeps serving the stale entry when the background refresh fails, then as source-failed, asking the source again once per retryAfterMs', async () => {
    const { clock, source, cache } = setup();
    await cache.getMany(['a']);
    clock.now += TTL + 1;
    source.state.down = true;
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@1', ageMs: TTL + 1, stale: true, reason: 'refreshing' }]);
    await vi.waitFor(() => expect(source.load).toHaveBeenCalledTimes(2));
    // Now known to fail: served at once, the source not asked again by every lookup.
    const failed = { value: 'value-of-a@1', ageMs: TTL + 1, stale: true, reason: 'source-failed' };
    expect(await Promise.all([cache.getMany(['a']), cache.getMany(['a'])])).toEqual([[failed], [failed]]);
    clock.now += RETRY - 1;
    expect(await cache.getMany(['a'])).toMatchObject([{ reason: 'source-failed' }]);
    expect(source.load).toHaveBeenCalledTimes(2);
    // Past the wait: one background read, whoever asks.
    clock.now += 1;
    source.hold();
    expect(await Promise.all([cache.getMany(['a']), cache.getMany(['a'])])).toMatchObject([[{ reason: 'source-failed' }], [{ reason: 'source-failed' }]]);
    await vi.waitFor(() => expect(source.load).toHaveBeenCalledTimes(3));
    source.state.down = false;
    source.release();
    await vi.waitFor(async () => expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@1', ageMs: 0, stale: false }]));
    expect(source.load).toHaveBeenCalledTimes(3);
  });

  it('serves an entry past both windows at once while its source is known to fail, not waiting on it again', async () => {
    const { clock, source, cache } = setup();
    await cache.getMany(['a']);
    clock.now += TTL + STALE + 1;
    source.state.down = true;
    // The first lookup past both windows waits for the source, and its failure is remembered.
    expect(await cache.getMany(['a'])).toMatchObject([{ value: 'value-of-a@1', stale: true, reason: 'source-failed' }]);
    source.hold();
    expect(await cache.getMany(['a'])).toMatchObject([{ value: 'value-of-a@1', stale: true, reason: 'source-failed' }]);
    expect(source.load).toHaveBeenCalledTimes(2);
    source.release();
  });

  it('past both windows waits for the source, and serves the entry still held (stale) when the source fails', async () => {
    const { clock, source, cache } = setup();
    await cache.getMany(['a']);
    clock.now += TTL + STALE + 1;
    source.state.version = 2;
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@2', ageMs: 0, stale: false }]);
    clock.now += TTL + STALE + 1;
    source.state.down = true;
    expect(await cache.getMany(['a'])).toEqual([{ value: 'value-of-a@2', ageMs: TTL + STALE + 1, stale: true, reason: 'source-failed' }]);
    expect(source.batches).toHaveLength(3);
  });

  it("answers the source's error for a key nothing is held for, and only for that key", async () => {
    const { source, cache } = setup();
    const [found, missing] = await cache.getMany(['a', 'missing-1']);
    expect(found).toEqual({ value: 'value-of-a@1', ageMs: 0, stale: false });
    expect(missing).toEqual(new Error('no missing-1'));
    source.state.down = true;
    expect(await cache.getMany(['b', 'a'])).toEqual([new Error('source is down'), { value: 'value-of-a@1', ageMs: 0, stale: false }]);
    // A failed read is not kept: the next lookup asks again.
    source.state.down = false;
    expect(await cache.getMany(['b'])).toEqual([{ value: 'value-of-b@1', ageMs: 0, stale: false }]);
  });

  it('keeps entries under `storeKey`, and keeps what is primed as read from the source', async () => {
    const { source, store, cache } = setup({ storeKey: (key) => `#${key.length}` });
    await cache.getMany(['abc']);
    await vi.waitFor(async () => expect(await store.getMany(['#3'])).toEqual(new Map([['#3', expect.objectContaining({ value: 'value-of-abc@1' })]])));
    cache.prime([['wxyz', 'primed']], 1_700_000_000_000);
    await vi.waitFor(async () => expect(await cache.getMany(['wxyz'])).toEqual([{ value: 'primed', ageMs: 0, stale: false }]));
    expect(source.batches).toEqual([['abc']]);
  });

  it('close() waits for a refresh still running and keeps nothing it answers, and starts no more', async () => {
    const { clock, source, store, cache } = setup();
    await cache.getMany(['a']);
    await vi.waitFor(async () => expect((await store.getMany(['a'])).size).toBe(1));
    clock.now += TTL + 1;
    source.state.version = 2;
    source.hold();
    await cache.getMany(['a']);
    await vi.waitFor(() => expect(source.batches).toHaveLength(2));
    let closed = false;
    const closing = cache.close().then(() => (closed = true));
    // Not closed while the refresh is still waiting on the source.
    await Promise.resolve();
    expect(closed).toBe(false);
    source.release();
    await closing;
    expect((await store.getMany(['a'])).get('a')?.value).toBe('value-of-a@1');
    // A stale lookup after close is answered, and nothing is refreshed or primed.
    expect(await cache.getMany(['a'])).toMatchObject([{ value: 'value-of-a@1', stale: true }]);
    cache.prime([['b', 'primed']], clock.now);
    await Promise.resolve();
    expect(source.batches).toHaveLength(2);
    expect((await store.getMany(['b'])).size).toBe(0);
  });
});
