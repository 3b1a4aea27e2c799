import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArchiveStore } from './archive-store.js';

export interface LocalArchiveStoreOptions {
  /** The folder archives go under, as `<directory>/<key>`; created on the first `put`. A relative path is taken from the working directory. */
  directory: string;
}

/**
 * Archives on the local filesystem (spec 002's S3 layout, in a folder): the
 * default, and what a single-machine install or a test uses.
 */
export function localArchiveStore(options: LocalArchiveStoreOptions): ArchiveStore {
  const root = resolve(options.directory);

  /** `<root>/<relativePath>`, refusing one that would land outside the root (`..`, an absolute path). */
  const inside = (relativePath: string): string => {
    const path = resolve(root, relativePath);
    const rel = relative(root, path);
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new Error(`Archive path ${JSON.stringify(relativePath)} is outside ${root}.`);
    }
    return path;
  };

  /** Deletes the files under `folder` older than `olderThan`, then the folders that left empty; the count deleted. */
  const prune = async (folder: string, olderThan: Date): Promise<number> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return 0;
      throw err;
    }
    let deleted = 0;
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        const inFolder = await prune(path, olderThan);
        deleted += inFolder;
        // Only a folder this run emptied: an empty one may be a day folder a `put` has just made.
        if (inFolder > 0) await removeIfEmpty(path);
      } else if (entry.isFile()) {
        // Stat errors (the file went meanwhile) count as nothing to delete.
        const info = await stat(path).catch(() => undefined);
        if (info === undefined || info.mtime >= olderThan) continue;
        try {
          await unlink(path);
          deleted++;
        } catch (err) {
          if (!isMissing(err)) throw err;
        }
      }
      // Symlinks and the like are left alone: they were not written by this store.
    }
    return deleted;
  };

  return {
    location: pathToFileURL(root).href,

    async put(key, localPath) {
      const target = inside(key);
      await mkdir(dirname(target), { recursive: true });
      // Written under a temporary name in the same folder and renamed (atomic on one filesystem), so a
      // reader never sees a half-written archive. A dot name keeps it out of the way of globs.
      const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await copyFile(localPath, temp);
        await rename(temp, target);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return target;
    },

    // Async, so a bad prefix rejects rather than throws.
    deleteOlderThan: async (prefix, olderThan) => prune(inside(prefix), olderThan),
  };
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** rmdir, which refuses a folder that is not empty: a `put` may have written into it since it was read. */
async function removeIfEmpty(folder: string): Promise<void> {
  try {
    await rmdir(folder);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw err;
  }
}
