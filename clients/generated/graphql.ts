/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 instant in UTC, e.g. "2026-11-23T08:00:00.000Z". */
  DateTime: { input: string; output: string; }
  /** A decimal number as a string, e.g. "19.99". */
  Decimal: { input: string; output: string; }
};

/** A catalog category. */
export type Category = {
  __typename?: 'Category';
  /** Magento's category id. */
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

/** One person, merged from their CRM contact, POS loyalty membership and Magento account. */
export type Customer = {
  __typename?: 'Customer';
  email?: Maybe<Scalars['String']['output']>;
  /** The golden record id, `cus_…`, derived from its anchor source record: the same records give the same id. */
  id: Scalars['ID']['output'];
  loyaltyId?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** The customer's online and in-store orders, newest first; `first` is 1..100. */
  orders: OrderConnection;
  phone?: Maybe<Scalars['String']['output']>;
  /** The CRM, POS and Magento records merged into this customer. */
  sourceRecords: Array<SourceRecord>;
};


/** One person, merged from their CRM contact, POS loyalty membership and Magento account. */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A product image. */
export type Image = {
  __typename?: 'Image';
  /** Alternative text, from the Magento image label. */
  alt?: Maybe<Scalars['String']['output']>;
  /** Absolute URL of the image file. */
  url: Scalars['String']['output'];
};

/** Where stock is kept: an ERP warehouse or a POS store. */
export type Location = {
  __typename?: 'Location';
  /** `WH-01` for warehouses, `S001` for stores. */
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  type: LocationType;
};

/** A distribution center the ERP runs, or a store the POS runs. */
export type LocationType =
  | 'STORE'
  | 'WAREHOUSE';

/** An amount in a currency. */
export type Money = {
  __typename?: 'Money';
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code, e.g. "USD". */
  currencyCode: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Corrects one stock level (a count, a delivery, damage), recorded in the ledger as a stock change like any other. Answers the level after it. */
  adjustStock: StockLevel;
  /** Starts an ERP inventory sync now and answers the job as it starts (`running`); follow it with `syncJobs`. Refused with SYNC_ALREADY_RUNNING while one runs. */
  runErpSync: SyncJob;
};


export type MutationAdjustStockArgs = {
  input: StockAdjustmentInput;
};


export type MutationRunErpSyncArgs = {
  mode?: InputMaybe<SyncMode>;
};

/** An order, online (Magento) or in store (POS). */
export type Order = {
  __typename?: 'Order';
  channel: OrderChannel;
  /** Who placed the order; null for a guest checkout. */
  customer?: Maybe<Customer>;
  /** `mag_<entity_id>` for online orders, `pos_<orderId>` for in-store orders. */
  id: Scalars['ID']['output'];
  lines: Array<OrderLine>;
  /** The number the customer sees: Magento's increment id or the POS order id. */
  number: Scalars['String']['output'];
  placedAt: Scalars['DateTime']['output'];
  /** Upper case: PENDING, PROCESSING, COMPLETE, CANCELED, REFUNDED, … */
  status: Scalars['String']['output'];
  total: Money;
};

/** Where an order was placed: online (Magento) or in a store (POS). */
export type OrderChannel =
  | 'ONLINE'
  | 'STORE';

/** A page of a customer's orders, newest first. */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  edges: Array<OrderEdge>;
  pageInfo: PageInfo;
};

export type OrderEdge = {
  __typename?: 'OrderEdge';
  cursor: Scalars['String']['output'];
  node: Order;
};

/** One product line of an order. */
export type OrderLine = {
  __typename?: 'OrderLine';
  product: Product;
  quantity: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  unitPrice: Money;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** A product of the catalog. */
export type Product = {
  __typename?: 'Product';
  categories: Array<Category>;
  /** HTML, as the catalog keeps it. */
  description?: Maybe<Scalars['String']['output']>;
  images: Array<Image>;
  name: Scalars['String']['output'];
  price: Money;
  sku: Scalars['ID']['output'];
  /** Availability over every location. */
  stock: StockSummary;
  /** Stock per location, at these locations only when locationIds is given. */
  stockByLocation: Array<StockLevel>;
};


/** A product of the catalog. */
export type ProductStockByLocationArgs = {
  locationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** A page of products, in catalog order. */
export type ProductConnection = {
  __typename?: 'ProductConnection';
  edges: Array<ProductEdge>;
  pageInfo: PageInfo;
  /** Every product matching the filters, on all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ProductEdge = {
  __typename?: 'ProductEdge';
  cursor: Scalars['String']['output'];
  node: Product;
};

export type Query = {
  __typename?: 'Query';
  /** A golden customer by id; null when there is none. */
  customer?: Maybe<Customer>;
  /** One warehouse or store by id; null when there is none. */
  location?: Maybe<Location>;
  /** Every warehouse and store, warehouses first. */
  locations: Array<Location>;
  /** One order, online (`mag_…`) or in store (`pos_…`). */
  order?: Maybe<Order>;
  /** One product by SKU; null when the catalog has none. */
  product?: Maybe<Product>;
  /** The catalog, filtered, in pages. */
  products: ProductConnection;
  /** One recorded stock change by its event id; null when there is none. The gateway resolves every stockChanged event through it, so fields from other subgraphs (product name, price) come through the query plan. */
  stockChange?: Maybe<StockChange>;
  /** The levels of these SKUs (at most 500), at these locations only when locationIds is given. A SKU the ledger does not know has none. */
  stockLevels: Array<StockLevel>;
  /** The latest ERP sync jobs, newest first. */
  syncJobs: Array<SyncJob>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryLocationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  sku: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  inStockOnly?: InputMaybe<Scalars['Boolean']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryStockChangeArgs = {
  eventId: Scalars['ID']['input'];
};


export type QueryStockLevelsArgs = {
  locationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  skus: Array<Scalars['ID']['input']>;
};


export type QuerySyncJobsArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** A record in a system of record that was merged into a golden customer. */
export type SourceRecord = {
  __typename?: 'SourceRecord';
  externalId: Scalars['String']['output'];
  /** `CRM`, `POS` or `MAGENTO`. */
  system: Scalars['String']['output'];
};

/** A correction of one stock level by operations staff. */
export type StockAdjustmentInput = {
  /** Units on hand to add (received) or, negative, to remove (shrinkage, damage); not 0. */
  delta: Scalars['Int']['input'];
  locationId: Scalars['ID']['input'];
  /** Why, in words; kept with the change (at most 1,000 characters). */
  note?: InputMaybe<Scalars['String']['input']>;
  /** ADJUSTMENT, or SALE (delta < 0) / RETURN (delta > 0) keyed in by hand. ERP_SYNC, RESERVATION and RELEASE are the ERP sync's and the order sagas' own. */
  reason?: InputMaybe<StockChangeReason>;
  sku: Scalars['ID']['input'];
};

/** One recorded change to a stock level at one location: what `stockChanged` delivers. */
export type StockChange = {
  __typename?: 'StockChange';
  /** Units available after it (onHand - reserved, never below 0). */
  available: Scalars['Int']['output'];
  /** The signed change in units on hand (a sale of 2 is -2). Available may drop by less: a sale beyond what was available is recorded as an oversell (onHand goes below 0, available stays at 0). */
  delta: Scalars['Int']['output'];
  /** Unique, and increasing in the order changes were recorded: `stockChanged(after:)` resumes after it. */
  eventId: Scalars['ID']['output'];
  location: Location;
  /** When it happened at its source (the till, for a POS event), not when it was recorded. */
  occurredAt: Scalars['DateTime']['output'];
  /** Units available at the location before the change (never below 0). */
  previousAvailable: Scalars['Int']['output'];
  /** Resolved by the product subgraph through the gateway. */
  product: Product;
  reason: StockChangeReason;
  sku: Scalars['ID']['output'];
};

/** Why a stock level changed. */
export type StockChangeReason =
  /** Counted, received, damaged or lost: a correction by the POS or by operations staff. */
  | 'ADJUSTMENT'
  /** Set by the ERP's nightly sync. */
  | 'ERP_SYNC'
  /** A hold released: the order was cancelled or failed. */
  | 'RELEASE'
  /** Held for an order being placed. */
  | 'RESERVATION'
  /** Returned at a till (POS). */
  | 'RETURN'
  /** Sold at a till (POS). */
  | 'SALE';

/** The stock of one product at one location. */
export type StockLevel = {
  __typename?: 'StockLevel';
  /** onHand - reserved, never below 0. */
  available: Scalars['Int']['output'];
  location: Location;
  /** Units physically at the location, as far as the ledger knows. Below 0 after an oversell (a till sold more than the books held): recorded, not hidden, until a count or delivery corrects it. */
  onHand: Scalars['Int']['output'];
  /** Resolved by the product subgraph through the gateway. */
  product: Product;
  /** Units held for orders not yet fulfilled. */
  reserved: Scalars['Int']['output'];
  sku: Scalars['ID']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/** A product's availability over every location: public, unlike the per-location levels. */
export type StockSummary = {
  __typename?: 'StockSummary';
  /** Units available over every location (each location's onHand - reserved, never below 0). */
  available: Scalars['Int']['output'];
  inStock: Scalars['Boolean']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** POS terminals: every change to the named SKUs and/or locations (both optional, both filters apply). `after` resumes from an eventId with nothing lost. Served by the gateway over graphql-ws. */
  stockChanged: StockChange;
};


export type SubscriptionStockChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  locationIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  skus?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** One level where the ERP and the ledger disagreed before a sync. */
export type SyncDifference = {
  __typename?: 'SyncDifference';
  /** erp - ledger. */
  difference: Scalars['Int']['output'];
  /** Units on hand by the ERP. */
  erp: Scalars['Int']['output'];
  /** Units on hand by the ledger (0 when it had no level). */
  ledger: Scalars['Int']['output'];
  locationId: Scalars['ID']['output'];
  sku: Scalars['ID']['output'];
};

/** How far the ledger was from the ERP's snapshot, measured before the snapshot was applied. */
export type SyncDrift = {
  __typename?: 'SyncDrift';
  /** The largest differences, largest first (at most 10). */
  largest: Array<SyncDifference>;
  /** Levels in the snapshot whose quantity differed from the ledger (SKUs the ledger lacked included). */
  levelsDiffering: Scalars['Int']['output'];
  /** FULL only: the ledger's levels at the synced warehouses the snapshot did not list (left as they are). */
  missingFromErp: Scalars['Int']['output'];
  /** Levels in the snapshot the ledger did not have. */
  unknownToLedger: Scalars['Int']['output'];
};

/** One ERP inventory sync run (spec 002). */
export type SyncJob = {
  __typename?: 'SyncJob';
  /** Time spent waiting on the ERP's API over the job. */
  apiLatencyMs?: Maybe<Scalars['Int']['output']>;
  /** Where the raw payloads were archived before being applied (a path, or s3://bucket/key). */
  archivePath?: Maybe<Scalars['String']['output']>;
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Items newly flagged discontinued. */
  discontinued: Scalars['Int']['output'];
  drift?: Maybe<SyncDrift>;
  durationMs?: Maybe<Scalars['Int']['output']>;
  errorMessage?: Maybe<Scalars['String']['output']>;
  /** ERP_SYNC stock events written: one per level whose quantity changed. */
  eventsEmitted: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Records refused (malformed, or a SKU given twice for one warehouse), logged and skipped. */
  invalidRecords: Scalars['Int']['output'];
  /** Levels created or changed, and items whose discontinued flag changed. */
  itemsChanged: Scalars['Int']['output'];
  mode: SyncMode;
  /** INCREMENTAL: the levels asked for are those the ERP changed at or after this. */
  modifiedSince?: Maybe<Scalars['DateTime']['output']>;
  /** Valid records applied. */
  skusProcessed: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
  /** `running`, `completed` or `failed`. */
  status: Scalars['String']['output'];
  /** Who started it: `schedule`, `cli` or `api`. */
  triggeredBy: Scalars['String']['output'];
};

/** What an ERP sync fetches. */
export type SyncMode =
  /** Every warehouse's whole inventory (nightly). */
  | 'FULL'
  /** Only the levels the ERP changed since the last completed sync started (`modifiedSince`). */
  | 'INCREMENTAL';

export type AdjustStockMutationVariables = Exact<{
  input: StockAdjustmentInput;
}>;


export type AdjustStockMutation = { __typename?: 'Mutation', adjustStock: { __typename?: 'StockLevel', sku: string, onHand: number, available: number, updatedAt: string, location: { __typename?: 'Location', id: string } } };

export type PartnerCustomerOrdersQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type PartnerCustomerOrdersQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, name: string, loyaltyId?: string | null, sourceRecords: Array<{ __typename?: 'SourceRecord', system: string, externalId: string }>, orders: { __typename?: 'OrderConnection', edges: Array<{ __typename?: 'OrderEdge', node: { __typename?: 'Order', id: string, number: string, channel: OrderChannel, status: string, placedAt: string, total: { __typename?: 'Money', amount: string, currencyCode: string }, lines: Array<{ __typename?: 'OrderLine', sku: string, quantity: number, unitPrice: { __typename?: 'Money', amount: string, currencyCode: string }, product: { __typename?: 'Product', name: string, stock: { __typename?: 'StockSummary', available: number } } }> } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type PosStockByLocationQueryVariables = Exact<{
  sku: Scalars['ID']['input'];
  locationIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
}>;


export type PosStockByLocationQuery = { __typename?: 'Query', product?: { __typename?: 'Product', sku: string, name: string, stockByLocation: Array<{ __typename?: 'StockLevel', onHand: number, reserved: number, available: number, updatedAt: string, location: { __typename?: 'Location', id: string, name: string, type: LocationType } }> } | null };

export type PosStockChangesSubscriptionVariables = Exact<{
  locationIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
  skus?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['ID']['input']>;
}>;


export type PosStockChangesSubscription = { __typename?: 'Subscription', stockChanged: { __typename?: 'StockChange', eventId: string, sku: string, delta: number, reason: StockChangeReason, previousAvailable: number, available: number, occurredAt: string, location: { __typename?: 'Location', id: string, name: string }, product: { __typename?: 'Product', name: string, price: { __typename?: 'Money', amount: string, currencyCode: string } } } };

export type ProductPageQueryVariables = Exact<{
  sku: Scalars['ID']['input'];
}>;


export type ProductPageQuery = { __typename?: 'Query', product?: { __typename?: 'Product', sku: string, name: string, description?: string | null, price: { __typename?: 'Money', amount: string, currencyCode: string }, images: Array<{ __typename?: 'Image', url: string, alt?: string | null }>, categories: Array<{ __typename?: 'Category', id: string, name: string }>, stock: { __typename?: 'StockSummary', available: number, inStock: boolean } } | null };

export type RunErpSyncMutationVariables = Exact<{
  mode?: InputMaybe<SyncMode>;
}>;


export type RunErpSyncMutation = { __typename?: 'Mutation', runErpSync: { __typename?: 'SyncJob', id: string, status: string, mode: SyncMode, startedAt: string } };

export type StorefrontProductsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  inStockOnly?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type StorefrontProductsQuery = { __typename?: 'Query', products: { __typename?: 'ProductConnection', totalCount: number, edges: Array<{ __typename?: 'ProductEdge', cursor: string, node: { __typename?: 'Product', sku: string, name: string, price: { __typename?: 'Money', amount: string, currencyCode: string }, images: Array<{ __typename?: 'Image', url: string, alt?: string | null }>, stock: { __typename?: 'StockSummary', available: number, inStock: boolean } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } };

export type SyncJobsQueryVariables = Exact<{
  last?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SyncJobsQuery = { __typename?: 'Query', syncJobs: Array<{ __typename?: 'SyncJob', id: string, status: string, mode: SyncMode, triggeredBy: string, startedAt: string, completedAt?: string | null, skusProcessed: number, itemsChanged: number, eventsEmitted: number, invalidRecords: number, apiLatencyMs?: number | null, durationMs?: number | null, archivePath?: string | null, errorMessage?: string | null, drift?: { __typename?: 'SyncDrift', levelsDiffering: number, unknownToLedger: number, missingFromErp: number, largest: Array<{ __typename?: 'SyncDifference', sku: string, locationId: string, erp: number, ledger: number, difference: number }> } | null }> };


export const AdjustStockDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdjustStock"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StockAdjustmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStock"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<AdjustStockMutation, AdjustStockMutationVariables>;
export const PartnerCustomerOrdersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PartnerCustomerOrders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"loyaltyId"}},{"kind":"Field","name":{"kind":"Name","value":"sourceRecords"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"channel"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"placedAt"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"unitPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PartnerCustomerOrdersQuery, PartnerCustomerOrdersQueryVariables>;
export const PosStockByLocationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PosStockByLocation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sku"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locationIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"product"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sku"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sku"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"stockByLocation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locationIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locationIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"reserved"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]} as unknown as DocumentNode<PosStockByLocationQuery, PosStockByLocationQueryVariables>;
export const PosStockChangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PosStockChanges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"locationIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skus"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stockChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"locationIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"locationIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"skus"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skus"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"delta"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"previousAvailable"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"location"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]}}]}}]} as unknown as DocumentNode<PosStockChangesSubscription, PosStockChangesSubscriptionVariables>;
export const ProductPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProductPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sku"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"product"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sku"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sku"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"alt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"categories"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"inStock"}}]}}]}}]}}]} as unknown as DocumentNode<ProductPageQuery, ProductPageQueryVariables>;
export const RunErpSyncDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RunErpSync"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SyncMode"}},"defaultValue":{"kind":"EnumValue","value":"FULL"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runErpSync"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"mode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}}]} as unknown as DocumentNode<RunErpSyncMutation, RunErpSyncMutationVariables>;
export const StorefrontProductsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StorefrontProducts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"20"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"categoryId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"inStockOnly"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"categoryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"categoryId"}}},{"kind":"Argument","name":{"kind":"Name","value":"inStockOnly"},"value":{"kind":"Variable","name":{"kind":"Name","value":"inStockOnly"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"price"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"images"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"alt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"inStock"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<StorefrontProductsQuery, StorefrontProductsQueryVariables>;
export const SyncJobsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SyncJobs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"triggeredBy"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"skusProcessed"}},{"kind":"Field","name":{"kind":"Name","value":"itemsChanged"}},{"kind":"Field","name":{"kind":"Name","value":"eventsEmitted"}},{"kind":"Field","name":{"kind":"Name","value":"invalidRecords"}},{"kind":"Field","name":{"kind":"Name","value":"apiLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"archivePath"}},{"kind":"Field","name":{"kind":"Name","value":"errorMessage"}},{"kind":"Field","name":{"kind":"Name","value":"drift"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"levelsDiffering"}},{"kind":"Field","name":{"kind":"Name","value":"unknownToLedger"}},{"kind":"Field","name":{"kind":"Name","value":"missingFromErp"}},{"kind":"Field","name":{"kind":"Name","value":"largest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sku"}},{"kind":"Field","name":{"kind":"Name","value":"locationId"}},{"kind":"Field","name":{"kind":"Name","value":"erp"}},{"kind":"Field","name":{"kind":"Name","value":"ledger"}},{"kind":"Field","name":{"kind":"Name","value":"difference"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SyncJobsQuery, SyncJobsQueryVariables>;