import { z } from 'zod';
import { startSimulator, type RunningSimulator, type SystemSimulatorOptions, type SimResponse } from '../common/simulator-server.js';
import { ErpStockBook, type ErpStockLevel } from './erp-stock-book.js';

export type ErpSimulatorOptions = SystemSimulatorOptions;

/** The ERP's error shape: `{error, message}`. */
const erpError = (status: number, error: string, message: string): SimResponse => ({ status, body: { error, message } });

/** ISO-8601 date or date-time (offset optional); `Date.parse` alone would accept "March 3" too. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const stockCount = z.array(
  z.object({
    warehouse: z.string().min(1),
    sku: z.string().min(1),
    qty: z.number().int().min(0),
    discontinued: z.boolean().optional(),
  }),
);

/** The wire shape: `discontinued` only where it is true, as the ERP sends it. */
const toItem = (level: ErpStockLevel) => (level.discontinued ? { sku: level.sku, qty: level.qty, discontinued: true } : { sku: level.sku, qty: level.qty });

/** The ERP (spec 002): warehouses and per-warehouse stock, with `modifiedSince` for incremental syncs. */
export async function startErpSimulator(options: ErpSimulatorOptions): Promise<RunningSimulator> {
  const { dataset } = options;
  const book = new ErpStockBook(dataset);
  const defaultWarehouse = dataset.warehouses[0]?.id ?? 'WH-01';

  return startSimulator({
    name: 'erp',
    port: options.port,
    host: options.host,
    token: options.token,
    faults: options.faults,
    logger: options.logger,
    unauthorized: erpError(401, 'unauthorized', 'Missing or invalid API token.'),
    badRequest: (message) => erpError(400, 'bad_request', message),
    notFound: (path) => erpError(404, 'not_found', `No resource at ${path}.`),
    routes: [
      {
        method: 'GET',
        pattern: '/warehouses',
        handler: () => ({ status: 200, body: dataset.warehouses.map((w) => ({ id: w.id, name: w.name, city: w.city })) }),
      },
      {
        method: 'GET',
        pattern: '/inventory',
        handler: (req) => {
          const warehouse = req.query.get('warehouse') ?? defaultWarehouse;
          if (!book.hasWarehouse(warehouse)) return erpError(404, 'not_found', `Unknown warehouse ${warehouse}.`);
          const since = req.query.get('modifiedSince');
          let sinceMs: number | undefined;
          if (since !== null) {
            sinceMs = ISO_8601.test(since) ? Date.parse(since) : Number.NaN;
            if (Number.isNaN(sinceMs)) return erpError(400, 'bad_request', `modifiedSince must be an ISO-8601 instant, got "${since}".`);
          }
          return { status: 200, body: book.levels(warehouse, sinceMs).map(toItem) };
        },
      },
      {
        method: 'POST',
        pattern: '/admin/inventory',
        admin: true,
        handler: (req) => {
          const parsed = stockCount.safeParse(req.body);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            return erpError(400, 'bad_request', `Expected [{warehouse, sku, qty, discontinued?}]: ${issue?.path.join('.')} ${issue?.message}`);
          }
          const unknown = parsed.data.find((c) => !book.hasWarehouse(c.warehouse));
          if (unknown) return erpError(400, 'bad_request', `Unknown warehouse ${unknown.warehouse}.`);
          const now = Date.now();
          const updated = parsed.data.map((c) => {
            const level = book.record(c.warehouse, c.sku, c.qty, c.discontinued, now);
            return { warehouse: c.warehouse, ...toItem(level), modifiedAt: new Date(level.modifiedAt).toISOString() };
          });
          options.logger.info({ levels: updated.length }, 'stock counted');
          return { status: 200, body: { updated } };
        },
      },
    ],
  });
}
