/** Rows as the ledger hands them to resolvers: camelCase, numbers as numbers, instants as Dates. */

export type LocationKind = 'WAREHOUSE' | 'STORE';

export interface LocationRow {
  id: string;
  name: string;
  type: LocationKind;
}

export interface StockLevelRow {
  sku: string;
  locationId: string;
  onHand: number;
  reserved: number;
  updatedAt: Date;
  /** The level's location, read in the same query (it primes the location loader). */
  location: LocationRow;
}
