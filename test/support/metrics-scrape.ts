/** One scrape of a Prometheus text endpoint, read as a test would: a sample's value by name and labels. */
export interface Scrape {
  /** The sample's value; 0 when no sample has these labels (a counter not yet incremented). */
  value(name: string, labels?: Record<string, string>): number;
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
  return {
    value: (name, labels = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value ?? 0,
  };
}
