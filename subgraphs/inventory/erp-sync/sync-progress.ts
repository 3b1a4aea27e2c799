/** What an ERP sync reports as it goes: the CLI shows it (a bar on a terminal, log lines otherwise). */
export type SyncProgressEvent =
  | { phase: 'fetch'; warehouseId: string; attempt: number; bytes: number; done: boolean }
  | { phase: 'archive'; path: string }
  | { phase: 'stage'; warehouseId: string; records: number; invalid: number; done: boolean }
  | { phase: 'apply'; itemsChanged: number; events: number; done: boolean };

export type SyncProgressListener = (event: SyncProgressEvent) => void;
