import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registry } from '../lib/observability/metrics.js';
import { projectRoot } from '../lib/project-root.js';

/**
 * docs/grafana/commerce-graph.json against the metrics the code registers
 * (lib/observability/metrics.ts and prom-client's defaults): a renamed or
 * removed metric, a label that does not exist, or a new metric with no panel
 * fails here rather than as an empty panel in production.
 */
interface Target {
  expr: string;
  refId: string;
  instant?: boolean;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  schemaVersion: number;
  uid: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboard = JSON.parse(readFileSync(join(projectRoot(), 'docs', 'grafana', 'commerce-graph.json'), 'utf8')) as Dashboard;
const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

/** Every panel, those inside collapsed rows included. */
const panels: Panel[] = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = panels.filter((p) => p.type !== 'row');
const targets = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : v.query.query);
/** Every PromQL expression: panel queries and template variable queries (`label_values(selector, label)`). */
const expressions = [
  ...targets.map(({ panel, target }) => ({ where: `panel ${panel.id} "${panel.title}" ${target.refId}`, expr: target.expr })),
  ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => ({ where: `variable ${v.name}`, expr: variableQuery(v).replace(/^label_values\((.*),\s*\w+\)$/, '$1') })),
];

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
interface Registered {
  type: MetricType;
  labels: readonly string[];
}

/** Series names a registry exposes, each with its metric's type and labels: a histogram's `_bucket`, `_sum`, `_count`, a summary's too. */
function seriesOf(from: Registry): Map<string, Registered & { metric: string }> {
  const series = new Map<string, Registered & { metric: string }>();
  for (const metric of from.getMetricsAsArray()) {
    // prom-client's typings give `type` as an enum; at run time it is the exposition name.
    const type = metric.type as unknown as MetricType;
    const labels = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    const names =
      type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => metric.name + s) : type === 'summary' ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
    for (const name of names) series.set(name, { metric: metric.name, type, labels: name.endsWith('_bucket') ? [...labels, 'le'] : type === 'summary' && name === metric.name ? [...labels, 'quantile'] : labels });
  }
  return series;
}

const registered = seriesOf(registry);
const defaults = new Registry();
collectDefaultMetrics({ register: defaults });
const defaultMetricNames = new Set(defaults.getMetricsAsArray().map((m) => m.name));
/** What metrics.ts registers beyond prom-client's defaults. */
const ownMetrics = registry.getMetricsAsArray().filter((m) => !defaultMetricNames.has(m.name)).map((m) => m.name);
/** Labels every series has once scraped. */
const TARGET_LABELS = ['instance', 'job'];

const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'inf', 'nan']);

/** An expression without string literals, label matchers, ranges, grouping lists and Grafana variables: what is left names metrics, functions and operators. */
const skeleton = (expr: string) =>
  expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');

/** The metric (series) names an expression selects: identifiers that are not functions (followed by `(`), keywords or numbers. */
function metricNames(expr: string): string[] {
  const names = [...skeleton(expr).matchAll(/(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map((m) => m[1] as string);
  return [...new Set(names.filter((n) => !PROMQL_WORDS.has(n.toLowerCase())))];
}

/** Each `metric{matchers}` selector: the metric and the label names it matches on. */
function selectors(expr: string): Array<{ metric: string; labels: string[] }> {
  const text = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...text.matchAll(/([a-zA-Z_:][\w:]*)\s*\{([^}]*)\}/g)].map((m) => ({
    metric: m[1] as string,
    labels: [...(m[2] as string).matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1] as string),
  }));
}

/** Label names in `by (...)`, `without (...)`, `on (...)`, `ignoring (...)` lists. */
const groupingLabels = (expr: string) =>
  [...expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(',').map((l) => l.trim()).filter(Boolean));

describe('the Grafana dashboard', () => {
  it('imports anywhere: a DS_PROMETHEUS input that every panel, query and variable uses', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(dashboard.uid).toBe('commerce-graph');
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    for (const panel of queryPanels) expect(panel.datasource, `panel ${panel.id}`).toEqual(DATASOURCE);
    for (const { panel, target } of targets) expect(target.datasource, `panel ${panel.id} ${target.refId}`).toEqual(DATASOURCE);
    for (const variable of dashboard.templating.list) expect(variable.datasource, `variable ${variable.name}`).toEqual(DATASOURCE);
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(['service', 'instance']);
  });

  it('gives every panel an id of its own and a place of its own on the grid', () => {
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const overlaps = (a: Panel['gridPos'], b: Panel['gridPos']) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    for (const [i, a] of dashboard.panels.entries()) {
      expect(a.gridPos.x + a.gridPos.w, `panel ${a.id} is wider than the grid`).toBeLessThanOrEqual(24);
      for (const b of dashboard.panels.slice(i + 1)) expect(overlaps(a.gridPos, b.gridPos), `panels ${a.id} and ${b.id} overlap`).toBe(false);
    }
  });

  it('has the rows asked for, each with panels', () => {
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Traffic', 'Subgraphs', 'Systems of record', 'Cache', 'Subscriptions', 'ERP sync', 'Process']);
    const types = new Set(queryPanels.map((p) => p.type));
    expect(types.has('state-timeline')).toBe(true);
    for (const panel of queryPanels) expect(panel.targets?.length, `panel ${panel.id} has no query`).toBeGreaterThan(0);
  });

  it('queries only metrics the code registers (metrics.ts or prom-client\'s defaults), with labels they have', () => {
    expect(expressions.length).toBeGreaterThan(0);
    for (const { where, expr } of expressions) {
      const names = metricNames(expr);
      expect(names.length, `${where}: no metric in ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(registered.has(name), `${where}: ${name} is not registered`).toBe(true);
      for (const { metric, labels } of selectors(expr)) {
        const known = [...(registered.get(metric)?.labels ?? []), ...TARGET_LABELS];
        for (const label of labels) expect(known, `${where}: ${metric} has no label ${label}`).toContain(label);
      }
      const available = new Set([...names.flatMap((n) => registered.get(n)?.labels ?? []), ...TARGET_LABELS]);
      for (const label of groupingLabels(expr)) expect(available.has(label), `${where}: no metric of ${expr} has label ${label}`).toBe(true);
    }
  });

  it('charts every metric metrics.ts registers', () => {
    const charted = new Set(expressions.flatMap(({ expr }) => metricNames(expr)).map((name) => registered.get(name)?.metric));
    expect(ownMetrics.length).toBeGreaterThan(0);
    expect(ownMetrics.filter((m) => !charted.has(m))).toEqual([]);
  });

  it('rates counters only, over $__rate_interval (or $__range in instant totals), and takes quantiles of summed buckets', () => {
    for (const { panel, target } of targets) {
      const where = `panel ${panel.id} ${target.refId}: ${target.expr}`;
      for (const [, name] of target.expr.matchAll(/\b(?:rate|irate|increase)\(\s*([a-zA-Z_:][\w:]*)/g)) {
        const series = registered.get(name as string);
        const cumulative = series?.type === 'counter' || /_(?:bucket|sum|count)$/.test(name as string);
        expect(cumulative, `${where}: ${name} is not a counter`).toBe(true);
      }
      for (const [, range] of target.expr.matchAll(/\[([^\]]*)\]/g)) {
        expect(range === '$__rate_interval' || (range === '$__range' && target.instant === true), `${where}: range [${range}]`).toBe(true);
      }
      for (const name of metricNames(target.expr)) {
        if (registered.get(name)?.type === 'counter') expect(target.expr, `${where}: a counter used raw`).toMatch(new RegExp(`\\b(?:rate|irate|increase)\\(\\s*${name}\\b`));
        if (name.endsWith('_bucket')) expect(target.expr, where).toMatch(/histogram_quantile\(\s*[\d.]+\s*,\s*sum by \(le[,)]/);
      }
      const quantiles = target.expr.match(/histogram_quantile\(/g)?.length ?? 0;
      expect(target.expr.match(/histogram_quantile\(\s*[\d.]+\s*,\s*sum by \(le[,)][^)]*\)\s*\((?:rate|increase)\(\w+_bucket\{/g)?.length ?? 0, where).toBe(quantiles);
    }
  });

  it('filters every selector by $instance, and metrics with a service label by $service too', () => {
    for (const { panel, target } of targets) {
      const where = `panel ${panel.id} ${target.refId}`;
      for (const { metric, labels } of selectors(target.expr)) {
        expect(labels, `${where}: ${metric}`).toContain('instance');
        if (registered.get(metric)?.labels.includes('service')) expect(labels, `${where}: ${metric}`).toContain('service');
      }
      // No bare metric name: each one comes with its matchers, so none escapes the filters above.
      for (const name of metricNames(target.expr)) expect(target.expr, `${where}: ${name} without matchers`).not.toMatch(new RegExp(`(?<![\\w:])${name}(?![\\w:]|\\s*\\{)`));
    }
    expect(variableQuery(dashboard.templating.list[1]!)).toContain('$service');
  });
});
