/**
 * Where a process's CPU went, from a V8 `.cpuprofile` (`node --cpu-prof`):
 * the functions with the most self time, and self time by package.
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--window <startUs>,<endUs>]
 *
 * `--window`: only the samples of that span of the monotonic clock (a
 * measurement's `windowUs` in bench/results/gateway-speed.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** µs, on the monotonic clock `process.hrtime` reads (the same in every process of the machine). */
  startTime: number;
  samples: number[];
  /** µs since the previous sample. */
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Busy time: the total without `(idle)`. */
  busyMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

/** Our own folders, as their modules' paths begin. */
const OWN = /(?:^|\/)(gateway|lib|bin|bench|subgraphs|simulators)\//;

/**
 * Where each module of an esbuild bundle (bundle-entries.ts) begins: esbuild
 * heads each with a `// <path>.ts` line. Read while the bundle is still there
 * (the benchmark summarises a profile as soon as its server stops).
 */
const bundleModules = new Map<string, Array<[line: number, module: string]>>();
function moduleInBundle(url: string, lineNumber: number): string | undefined {
  if (!url.includes('/commerce-graph-bench/')) return undefined;
  let starts = bundleModules.get(url);
  if (!starts) {
    const path = url.startsWith('file:') ? fileURLToPath(url) : url;
    starts = [];
    if (existsSync(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const head = /^\/\/ (\S+\.ts)$/.exec(line);
          if (head) starts!.push([i, head[1] as string]);
        });
    }
    bundleModules.set(url, starts);
  }
  let module: string | undefined;
  for (const [line, name] of starts) {
    if (line > lineNumber) break;
    module = name;
  }
  return module;
}

/** `node_modules/@scope/name/…` → `@scope/name` (the innermost: a nested copy is its own); our own modules by folder; Node's internals by area; V8's own entries as they are. */
function packageOf(url: string, functionName: string, lineNumber: number): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const area = url.slice('node:'.length).replace(/^internal\//, '').split('/')[0] ?? '';
    return `node: ${/^_?https?|^http/.test(area) ? 'http' : area === 'modules' ? 'module loading' : area.replace(/^_/, '')}`;
  }
  const bundled = moduleInBundle(url, lineNumber);
  if (bundled) return `commerce-graph ${OWN.exec(bundled)?.[1] ?? bundled}/`;
  const modules = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (modules.length > 0) return modules[modules.length - 1]![1] as string;
  const own = OWN.exec(url);
  return own ? `commerce-graph ${own[1]}/` : url;
}

function shortUrl(url: string, lineNumber: number): string {
  const bundled = moduleInBundle(url, lineNumber);
  if (bundled) return bundled;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return `${url.slice(modules + 'node_modules/'.length)}:${lineNumber + 1}`;
  const own = /\/(gateway|lib|bin|bench|subgraphs|simulators)\/.*$/.exec(url);
  return `${own ? own[0].slice(1) : url.replace(/^file:\/\//, '')}:${lineNumber + 1}`;
}

/** A span of the monotonic clock, µs (`process.hrtime.bigint() / 1000n`): only samples taken within it count. */
export type ProfileWindow = [startUs: number, endUs: number];

export function summarizeProfile(profile: CpuProfile, top = 25, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') idleUs += us;
    const key = url ? `${functionName || '(anonymous)'} ${shortUrl(url, lineNumber)}` : functionName || '(anonymous)';
    functions.set(key, (functions.get(key) ?? 0) + us);
    const pkg = packageOf(url, functionName, lineNumber);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, pct: (us / busyUs) * 100 }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, functions: rank(functions), packages: rank(packages) };
}

export function renderProfileSummary(summary: ProfileSummary): string {
  const lines = [`CPU profile: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s; self time, % of busy`, '', 'by function:'];
  for (const f of summary.functions) lines.push(`  ${f.pct.toFixed(1).padStart(5)} %  ${f.name}`);
  lines.push('', 'by package:');
  for (const p of summary.packages) lines.push(`  ${p.pct.toFixed(1).padStart(5)} %  ${p.name}`);
  return lines.join('\n');
}

export function summarizeProfileFile(path: string, top = 25, window?: ProfileWindow): ProfileSummary {
  return summarizeProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, top, window);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, window: { type: 'string' } } });
  if (!positionals[0]) {
    console.error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--top 25] [--window <startUs>,<endUs>]');
    process.exit(2);
  }
  const window = values.window?.split(',').map(Number) as ProfileWindow | undefined;
  process.stdout.write(`${renderProfileSummary(summarizeProfileFile(positionals[0], Number(values.top), window))}\n`);
}
