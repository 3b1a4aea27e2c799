import { rmSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, stop } from 'esbuild';

/**
 * The benchmark's child processes as plain JavaScript, built from the current
 * sources: our TypeScript bundled into one `.mjs` per entry (plus the chunks
 * they share and those they `import()`), every npm package left to `import` as
 * usual. Each server then runs under bare `node`, as it
 * would be deployed: tsx's loader (its hooks thread, its source maps, some 80
 * MiB of resident memory under load) is in no row. The folder sits under
 * `node_modules/.cache`, so packages and `projectRoot()` resolve from it as
 * from the sources.
 */
export async function bundleEntries(root: string, entries: readonly string[], runId: string): Promise<{ files: Record<string, string>; remove(): void }> {
  const outdir = join(root, 'node_modules', '.cache', 'commerce-graph-bench', runId);
  await build({
    absWorkingDir: root,
    entryPoints: entries.map((entry) => join(root, entry)),
    outdir,
    outbase: root,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    // A dynamic `import()` stays one: without splitting esbuild inlines the module and hoists its packages' imports
    // to the top of the bundle, and `service.mjs gateway` would load every subgraph's and simulator's packages.
    splitting: true,
    // The shared and dynamically imported chunks in a folder of their own, beside the entries' `bin/` and `bench/`.
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node20',
    // Classes keep their names when the bundle renames them apart (two subgraphs' `Product`): type-graphql names GraphQL types after them.
    keepNames: true,
    // The same transform tsx applies (experimentalDecorators, no define semantics for class fields), from the same tsconfig.
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'error',
  });
  // esbuild's service process would otherwise live on, idle, beside the run.
  await stop();
  const files = Object.fromEntries(entries.map((entry) => [entry, join(outdir, entry.replace(/\.ts$/, '.mjs'))]));
  const remove = () => {
    rmSync(outdir, { recursive: true, force: true });
    // The shared parent too, once no other run's bundles are in it.
    try {
      rmdirSync(dirname(outdir));
    } catch {
      // Not empty, or gone already.
    }
  };
  return { files, remove };
}
