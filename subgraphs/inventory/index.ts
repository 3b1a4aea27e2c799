/** The inventory subgraph: stock per SKU and location, from its own ledger (ERP nightly, POS in real time). */
export { createInventorySchema } from './inventory-schema.js';
export { startInventorySubgraph, type ErpSyncSettings, type InventorySubgraphOptions, type RunningInventorySubgraph } from './inventory-subgraph.js';
export type { InitialLoadResult } from './ledger/initial-load.js';
export { POS_WEBHOOK_PATH, type PosWebhookAnswer, type RejectedPosEvent } from './webhooks/pos-webhook-route.js';
