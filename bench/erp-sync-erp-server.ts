import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawnReady, stop } from '../bin/ready-child.js';
import { listen, readBody, sendJson, type RunningServer } from '../lib/http/http-server.js';
import type { Logger } from '../lib/logger.js';
import { projectRoot } from '../lib/project-root.js';
import { generateDataset, type Dataset } from '../simulators/data/dataset.js';
import { startErpSimulator } from '../simulators/erp/erp-simulator.js';

/** One ERP level as the ledger is seeded with it (before the benchmark changes any). */
export interface BaselineLevel {
  sku: string;
  qty: number;
  discontinued: boolean;
}

export type ErpKind = 'simulator' | 'stand-in';

/** An ERP with `size` SKUs in one warehouse, whichever server plays it. */
export interface BenchErp {
  /** `simulator`: simulators/erp over a generated dataset; `stand-in`: the streamed server below. */
  kind: ErpKind;
  url: string;
  token: string;
  warehouseId: string;
  size: number;
  /** The i-th SKU's level before any change: the ledger's opening state. */
  baseline(i: number): BaselineLevel;
  close(): Promise<void>;
}

export const ERP_TOKEN = 'bench-erp-token';
const WAREHOUSE = 'WH-01';
/** Records serialised per write: small enough to keep the stand-in's memory flat, large enough to be cheap. */
const STREAM_CHUNK = 5_000;

/**
 * Starts the ERP in a process of its own (bench/erp-sync-erp-child.ts), as a
 * real ERP is another machine: its CPU does not share the sync's event loop
 * and its memory is not in the sync's figure. The baseline is derived here
 * the same way the child derives it (same seed, or the index alone).
 */
export async function startBenchErp(kind: ErpKind, size: number): Promise<BenchErp> {
  const root = projectRoot();
  const { child, url } = await spawnReady(['--import', 'tsx', join(root, 'bench', 'erp-sync-erp-child.ts'), kind, String(size)], { PATH: process.env.PATH ?? '' }, root, `ERP ${kind}`);
  return { kind, url, token: ERP_TOKEN, warehouseId: WAREHOUSE, size, baseline: kind === 'simulator' ? simulatorBaseline(benchDataset(size)) : standInLevel, close: () => stop(child) };
}

/**
 * One warehouse, a token store and customer count (the generator needs some).
 * The generator builds the whole catalog (names, prices, orders) and the
 * simulator answers with one JSON.stringify'd string, so it suits the smaller
 * sizes: at 1,000,000 SKUs generation alone takes ~7 s and ~770 MB, in each of
 * the two processes.
 */
const benchDataset = (size: number) => generateDataset(2002, { skus: size, warehouses: 1, stores: 1, customers: 10 });

function simulatorBaseline(dataset: Dataset): (i: number) => BaselineLevel {
  const warehouse = dataset.warehouses[0]!;
  return (i) => {
    const p = dataset.products[i]!;
    return { sku: p.sku, qty: dataset.baselineQty(p, warehouse), discontinued: p.discontinued };
  };
}

/** The real ERP simulator (the child's side). */
export function serveSimulator(size: number, logger: Logger): Promise<RunningServer> {
  return startErpSimulator({ dataset: benchDataset(size), port: 0, host: '127.0.0.1', token: ERP_TOKEN, faults: { latencyMs: 0, errorRate: 0, outage: false }, logger });
}

/** Deterministic like the simulator (1% discontinued at 0, the rest 0..399), but derived from the index alone: nothing is stored. */
function standInLevel(i: number): BaselineLevel {
  const discontinued = i % 100 === 99;
  return { sku: `CG-${String(i + 1).padStart(7, '0')}`, qty: discontinued ? 0 : (Math.imul(i + 1, 0x9e3779b1) >>> 0) % 400, discontinued };
}

/**
 * A bench-only ERP (the child's side) that answers `GET /inventory` as a
 * stream of `size` records, `STREAM_CHUNK` at a time with backpressure, so a
 * 1,000,000-SKU payload (~30 MB) never exists as one string.
 * `POST /admin/inventory` takes the simulator's stock counts
 * (`[{warehouse, sku, qty}]`), for SKUs of its catalog only; only those
 * changes are stored.
 */
export function serveStandIn(size: number): Promise<RunningServer> {
  const counted = new Map<string, number>();
  const records = function* (): Generator<string> {
    yield '[';
    for (let start = 0; start < size; start += STREAM_CHUNK) {
      const parts: string[] = [];
      for (let i = start; i < Math.min(size, start + STREAM_CHUNK); i++) {
        const { sku, qty, discontinued } = standInLevel(i);
        const now = counted.get(sku) ?? qty;
        parts.push(discontinued ? `{"sku":"${sku}","qty":${now},"discontinued":true}` : `{"sku":"${sku}","qty":${now}}`);
      }
      yield (start === 0 ? '' : ',') + parts.join(',');
    }
    yield ']';
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${ERP_TOKEN}`) return sendJson(res, 401, { error: 'unauthorized' });
    const url = new URL(req.url ?? '/', 'http://erp');
    if (req.method === 'GET' && url.pathname === '/warehouses') return sendJson(res, 200, [{ id: WAREHOUSE, name: 'Bench Distribution Center' }]);
    if (req.method === 'GET' && url.pathname === '/inventory') {
      if ((url.searchParams.get('warehouse') ?? WAREHOUSE) !== WAREHOUSE) return sendJson(res, 404, { error: 'not_found' });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return pipeline(Readable.from(records()), res);
    }
    if (req.method === 'POST' && url.pathname === '/admin/inventory') {
      const levels = JSON.parse((await readBody(req)).toString('utf8')) as Array<{ sku: string; qty: number }>;
      for (const { sku, qty } of levels) counted.set(sku, qty);
      return sendJson(res, 200, { updated: levels.length });
    }
    sendJson(res, 404, { error: 'not_found' });
  };
  return listen(handle, 0);
}

/**
 * Counts new quantities for every `every`-th SKU (discontinued ones left
 * alone) through the admin route both servers share, so the first sync has
 * real changes; resolves with how many levels now differ from the baseline.
 */
export async function changeErpLevels(erp: BenchErp, every: number): Promise<number> {
  let changed: Array<{ warehouse: string; sku: string; qty: number }> = [];
  let total = 0;
  const post = async () => {
    const res = await fetch(`${erp.url}/admin/inventory`, {
      method: 'POST',
      headers: { authorization: `Bearer ${erp.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(changed),
    });
    if (!res.ok) throw new Error(`POST /admin/inventory answered ${res.status}: ${await res.text()}`);
    total += changed.length;
    changed = [];
  };
  for (let i = 3; i < erp.size; i += every) {
    const level = erp.baseline(i);
    if (level.discontinued) continue;
    changed.push({ warehouse: erp.warehouseId, sku: level.sku, qty: level.qty + 1 + (i % 37) });
    // The simulator reads at most 10 MB of body.
    if (changed.length === 10_000) await post();
  }
  if (changed.length > 0) await post();
  return total;
}
