import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_PREFIX, archiveKey } from './archive-store.js';
import { localArchiveStore } from './local-archive-store.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-23T02:00:00Z');

let dir: string;
let archives: string;
let payload: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-archive-store-test-'));
  archives = join(dir, 'archives');
  payload = join(dir, 'payload.json');
  await writeFile(payload, JSON.stringify({ 'WH-01': [{ sku: 'CG-0001', qty: 4 }] }));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Archives a payload fetched at `at`, with its file's mtime set to `at` as if written then. */
async function archiveAt(store: ReturnType<typeof localArchiveStore>, at: Date): Promise<string> {
  const path = await store.put(archiveKey(at), payload);
  await utimes(path, at, at);
  return path;
}

describe('localArchiveStore', () => {
  it('copies the file to <directory>/<key>, creating the folders, and answers its absolute path', async () => {
    const store = localArchiveStore({ directory: archives });
    const key = archiveKey(NOW);

    const path = await store.put(key, payload);

    expect(path).toBe(join(archives, 'inventory-sync', '2026-11-23', 'inventory_20261123_020000.json'));
    expect(isAbsolute(path)).toBe(true);
    expect(await readFile(path)).toEqual(await readFile(payload));
    // Only the archive: the temporary file it was written to was renamed, not left behind.
    expect(await readdir(join(archives, 'inventory-sync', '2026-11-23'))).toEqual(['inventory_20261123_020000.json']);
  });

  it('replaces an archive put again under the same key', async () => {
    const store = localArchiveStore({ directory: archives });
    await store.put(archiveKey(NOW), payload);
    await writeFile(payload, '{"WH-01":[]}');

    const path = await store.put(archiveKey(NOW), payload);

    expect(await readFile(path, 'utf8')).toBe('{"WH-01":[]}');
  });

  it('names its directory as a file:// URL', () => {
    const store = localArchiveStore({ directory: archives });
    expect(store.location).toBe(pathToFileURL(archives).href);
    expect(store.location.startsWith('file:///')).toBe(true);
  });

  it('refuses a key that would land outside the directory', async () => {
    const store = localArchiveStore({ directory: archives });
    await expect(store.put('../escaped.json', payload)).rejects.toThrow(/outside/);
    await expect(store.deleteOlderThan('../', NOW)).rejects.toThrow(/outside/);
  });

  it('rejects when the file to archive is missing, leaving nothing behind', async () => {
    const store = localArchiveStore({ directory: archives });
    await expect(store.put(archiveKey(NOW), join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(archives, 'inventory-sync', '2026-11-23'))).toEqual([]);
  });

  it('deletes only archives older than the cut-off, and the day folders they leave empty', async () => {
    const store = localArchiveStore({ directory: archives });
    const cutoff = new Date(NOW.getTime() - 30 * DAY);
    const old = [
      await archiveAt(store, new Date(NOW.getTime() - 45 * DAY)),
      await archiveAt(store, new Date(NOW.getTime() - 40 * DAY)),
      await archiveAt(store, new Date(NOW.getTime() - 40 * DAY + 60_000)),
    ];
    const kept = [await archiveAt(store, new Date(NOW.getTime() - 29 * DAY)), await archiveAt(store, NOW)];
    // A day folder holding an old and a new file (the new one written late) keeps the new one and stays.
    const mixedOld = await archiveAt(store, new Date('2026-10-01T23:59:00Z'));
    const mixedNew = join(mixedOld, '..', 'inventory_20261001_235959.json');
    await writeFile(mixedNew, '{}');
    await utimes(mixedNew, NOW, NOW);

    const deleted = await store.deleteOlderThan(ARCHIVE_PREFIX, cutoff);

    expect(deleted).toBe(4);
    for (const path of [...old, mixedOld]) await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    for (const path of [...kept, mixedNew]) expect((await stat(path)).isFile()).toBe(true);
    expect((await readdir(join(archives, ARCHIVE_PREFIX))).sort()).toEqual(['2026-10-01', '2026-10-25', '2026-11-23']);
  });

  it('leaves files outside the prefix, and empty folders it did not empty', async () => {
    const store = localArchiveStore({ directory: archives });
    const other = join(archives, 'other', 'old.json');
    await mkdir(join(archives, 'other'), { recursive: true });
    await writeFile(other, '{}');
    await utimes(other, new Date(0), new Date(0));
    // As a `put` may have just made it.
    await mkdir(join(archives, ARCHIVE_PREFIX, '2026-11-24'), { recursive: true });

    expect(await store.deleteOlderThan(ARCHIVE_PREFIX, NOW)).toBe(0);

    expect((await stat(other)).isFile()).toBe(true);
    expect(await readdir(join(archives, ARCHIVE_PREFIX))).toEqual(['2026-11-24']);
  });

  it('deletes nothing when the directory does not exist yet', async () => {
    const store = localArchiveStore({ directory: join(dir, 'never-written') });
    expect(await store.deleteOlderThan(ARCHIVE_PREFIX, NOW)).toBe(0);
  });
});
