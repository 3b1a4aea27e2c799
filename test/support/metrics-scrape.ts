/** One scrape of a Prometheus text endpoint, read as a test would. */
export interface Scrape {
  /** The sum of the samples named `name` whose labels include `labels`; throws when there is none (a gauge that is not there is not 0). */
  value(name: string, labels?: Record<string, string>): number;
  /** As `value`, but 0 when there is no such sample: a labelled counter not incremented yet. */
  counter(name: string, labels?: Record<string, string>): number;
}

/** Fetches `url` (`…/metrics`) and parses the samples: `name{a="x",b="y"} 12`. */
export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of (await res.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  const sum = (found: typeof samples) => found.reduce((total, s) => total + s.value, 0);
  return {
    value: (name, labels = {}) => {
      const found = matching(name, labels);
      if (found.length === 0) throw new Error(`${url} has no sample ${name}${JSON.stringify(labels)}`);
      return sum(found);
    },
    counter: (name, labels = {}) => sum(matching(name, labels)),
  };
}
