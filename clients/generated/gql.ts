/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AdjustStock($input: StockAdjustmentInput!) {\n  adjustStock(input: $input) {\n    sku\n    location {\n      id\n    }\n    onHand\n    available\n    updatedAt\n  }\n}": typeof types.AdjustStockDocument,
    "query PartnerCustomerOrders($id: ID!, $first: Int = 20, $after: String) {\n  customer(id: $id) {\n    id\n    name\n    loyaltyId\n    sourceRecords {\n      system\n      externalId\n    }\n    orders(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          number\n          channel\n          status\n          placedAt\n          total {\n            amount\n            currencyCode\n          }\n          lines {\n            sku\n            quantity\n            unitPrice {\n              amount\n              currencyCode\n            }\n            product {\n              name\n              stock {\n                available\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.PartnerCustomerOrdersDocument,
    "query PosStockByLocation($sku: ID!, $locationIds: [ID!]) {\n  product(sku: $sku) {\n    sku\n    name\n    stockByLocation(locationIds: $locationIds) {\n      location {\n        id\n        name\n        type\n      }\n      onHand\n      reserved\n      available\n      updatedAt\n    }\n  }\n}": typeof types.PosStockByLocationDocument,
    "subscription PosStockChanges($locationIds: [ID!], $skus: [ID!], $after: ID) {\n  stockChanged(locationIds: $locationIds, skus: $skus, after: $after) {\n    eventId\n    sku\n    delta\n    reason\n    previousAvailable\n    available\n    occurredAt\n    location {\n      id\n      name\n    }\n    product {\n      name\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n}": typeof types.PosStockChangesDocument,
    "query ProductPage($sku: ID!) {\n  product(sku: $sku) {\n    sku\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    categories {\n      id\n      name\n    }\n    stock {\n      available\n      inStock\n    }\n  }\n}": typeof types.ProductPageDocument,
    "mutation RunErpSync($mode: SyncMode = FULL) {\n  runErpSync(mode: $mode) {\n    id\n    status\n    mode\n    startedAt\n  }\n}": typeof types.RunErpSyncDocument,
    "query StorefrontProducts($first: Int = 20, $after: String, $search: String, $categoryId: ID, $inStockOnly: Boolean) {\n  products(\n    first: $first\n    after: $after\n    search: $search\n    categoryId: $categoryId\n    inStockOnly: $inStockOnly\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        sku\n        name\n        price {\n          amount\n          currencyCode\n        }\n        images {\n          url\n          alt\n        }\n        stock {\n          available\n          inStock\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.StorefrontProductsDocument,
    "query SyncJobs($last: Int = 10) {\n  syncJobs(last: $last) {\n    id\n    status\n    mode\n    triggeredBy\n    startedAt\n    completedAt\n    skusProcessed\n    itemsChanged\n    eventsEmitted\n    invalidRecords\n    apiLatencyMs\n    durationMs\n    archivePath\n    errorMessage\n    drift {\n      levelsDiffering\n      unknownToLedger\n      missingFromErp\n      largest {\n        sku\n        locationId\n        erp\n        ledger\n        difference\n      }\n    }\n  }\n}": typeof types.SyncJobsDocument,
};
const documents: Documents = {
    "mutation AdjustStock($input: StockAdjustmentInput!) {\n  adjustStock(input: $input) {\n    sku\n    location {\n      id\n    }\n    onHand\n    available\n    updatedAt\n  }\n}": types.AdjustStockDocument,
    "query PartnerCustomerOrders($id: ID!, $first: Int = 20, $after: String) {\n  customer(id: $id) {\n    id\n    name\n    loyaltyId\n    sourceRecords {\n      system\n      externalId\n    }\n    orders(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          number\n          channel\n          status\n          placedAt\n          total {\n            amount\n            currencyCode\n          }\n          lines {\n            sku\n            quantity\n            unitPrice {\n              amount\n              currencyCode\n            }\n            product {\n              name\n              stock {\n                available\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.PartnerCustomerOrdersDocument,
    "query PosStockByLocation($sku: ID!, $locationIds: [ID!]) {\n  product(sku: $sku) {\n    sku\n    name\n    stockByLocation(locationIds: $locationIds) {\n      location {\n        id\n        name\n        type\n      }\n      onHand\n      reserved\n      available\n      updatedAt\n    }\n  }\n}": types.PosStockByLocationDocument,
    "subscription PosStockChanges($locationIds: [ID!], $skus: [ID!], $after: ID) {\n  stockChanged(locationIds: $locationIds, skus: $skus, after: $after) {\n    eventId\n    sku\n    delta\n    reason\n    previousAvailable\n    available\n    occurredAt\n    location {\n      id\n      name\n    }\n    product {\n      name\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n}": types.PosStockChangesDocument,
    "query ProductPage($sku: ID!) {\n  product(sku: $sku) {\n    sku\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    categories {\n      id\n      name\n    }\n    stock {\n      available\n      inStock\n    }\n  }\n}": types.ProductPageDocument,
    "mutation RunErpSync($mode: SyncMode = FULL) {\n  runErpSync(mode: $mode) {\n    id\n    status\n    mode\n    startedAt\n  }\n}": types.RunErpSyncDocument,
    "query StorefrontProducts($first: Int = 20, $after: String, $search: String, $categoryId: ID, $inStockOnly: Boolean) {\n  products(\n    first: $first\n    after: $after\n    search: $search\n    categoryId: $categoryId\n    inStockOnly: $inStockOnly\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        sku\n        name\n        price {\n          amount\n          currencyCode\n        }\n        images {\n          url\n          alt\n        }\n        stock {\n          available\n          inStock\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.StorefrontProductsDocument,
    "query SyncJobs($last: Int = 10) {\n  syncJobs(last: $last) {\n    id\n    status\n    mode\n    triggeredBy\n    startedAt\n    completedAt\n    skusProcessed\n    itemsChanged\n    eventsEmitted\n    invalidRecords\n    apiLatencyMs\n    durationMs\n    archivePath\n    errorMessage\n    drift {\n      levelsDiffering\n      unknownToLedger\n      missingFromErp\n      largest {\n        sku\n        locationId\n        erp\n        ledger\n        difference\n      }\n    }\n  }\n}": types.SyncJobsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AdjustStock($input: StockAdjustmentInput!) {\n  adjustStock(input: $input) {\n    sku\n    location {\n      id\n    }\n    onHand\n    available\n    updatedAt\n  }\n}"): (typeof documents)["mutation AdjustStock($input: StockAdjustmentInput!) {\n  adjustStock(input: $input) {\n    sku\n    location {\n      id\n    }\n    onHand\n    available\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PartnerCustomerOrders($id: ID!, $first: Int = 20, $after: String) {\n  customer(id: $id) {\n    id\n    name\n    loyaltyId\n    sourceRecords {\n      system\n      externalId\n    }\n    orders(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          number\n          channel\n          status\n          placedAt\n          total {\n            amount\n            currencyCode\n          }\n          lines {\n            sku\n            quantity\n            unitPrice {\n              amount\n              currencyCode\n            }\n            product {\n              name\n              stock {\n                available\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query PartnerCustomerOrders($id: ID!, $first: Int = 20, $after: String) {\n  customer(id: $id) {\n    id\n    name\n    loyaltyId\n    sourceRecords {\n      system\n      externalId\n    }\n    orders(first: $first, after: $after) {\n      edges {\n        node {\n          id\n          number\n          channel\n          status\n          placedAt\n          total {\n            amount\n            currencyCode\n          }\n          lines {\n            sku\n            quantity\n            unitPrice {\n              amount\n              currencyCode\n            }\n            product {\n              name\n              stock {\n                available\n              }\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PosStockByLocation($sku: ID!, $locationIds: [ID!]) {\n  product(sku: $sku) {\n    sku\n    name\n    stockByLocation(locationIds: $locationIds) {\n      location {\n        id\n        name\n        type\n      }\n      onHand\n      reserved\n      available\n      updatedAt\n    }\n  }\n}"): (typeof documents)["query PosStockByLocation($sku: ID!, $locationIds: [ID!]) {\n  product(sku: $sku) {\n    sku\n    name\n    stockByLocation(locationIds: $locationIds) {\n      location {\n        id\n        name\n        type\n      }\n      onHand\n      reserved\n      available\n      updatedAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PosStockChanges($locationIds: [ID!], $skus: [ID!], $after: ID) {\n  stockChanged(locationIds: $locationIds, skus: $skus, after: $after) {\n    eventId\n    sku\n    delta\n    reason\n    previousAvailable\n    available\n    occurredAt\n    location {\n      id\n      name\n    }\n    product {\n      name\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n}"): (typeof documents)["subscription PosStockChanges($locationIds: [ID!], $skus: [ID!], $after: ID) {\n  stockChanged(locationIds: $locationIds, skus: $skus, after: $after) {\n    eventId\n    sku\n    delta\n    reason\n    previousAvailable\n    available\n    occurredAt\n    location {\n      id\n      name\n    }\n    product {\n      name\n      price {\n        amount\n        currencyCode\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductPage($sku: ID!) {\n  product(sku: $sku) {\n    sku\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    categories {\n      id\n      name\n    }\n    stock {\n      available\n      inStock\n    }\n  }\n}"): (typeof documents)["query ProductPage($sku: ID!) {\n  product(sku: $sku) {\n    sku\n    name\n    description\n    price {\n      amount\n      currencyCode\n    }\n    images {\n      url\n      alt\n    }\n    categories {\n      id\n      name\n    }\n    stock {\n      available\n      inStock\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RunErpSync($mode: SyncMode = FULL) {\n  runErpSync(mode: $mode) {\n    id\n    status\n    mode\n    startedAt\n  }\n}"): (typeof documents)["mutation RunErpSync($mode: SyncMode = FULL) {\n  runErpSync(mode: $mode) {\n    id\n    status\n    mode\n    startedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StorefrontProducts($first: Int = 20, $after: String, $search: String, $categoryId: ID, $inStockOnly: Boolean) {\n  products(\n    first: $first\n    after: $after\n    search: $search\n    categoryId: $categoryId\n    inStockOnly: $inStockOnly\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        sku\n        name\n        price {\n          amount\n          currencyCode\n        }\n        images {\n          url\n          alt\n        }\n        stock {\n          available\n          inStock\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query StorefrontProducts($first: Int = 20, $after: String, $search: String, $categoryId: ID, $inStockOnly: Boolean) {\n  products(\n    first: $first\n    after: $after\n    search: $search\n    categoryId: $categoryId\n    inStockOnly: $inStockOnly\n  ) {\n    totalCount\n    edges {\n      cursor\n      node {\n        sku\n        name\n        price {\n          amount\n          currencyCode\n        }\n        images {\n          url\n          alt\n        }\n        stock {\n          available\n          inStock\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SyncJobs($last: Int = 10) {\n  syncJobs(last: $last) {\n    id\n    status\n    mode\n    triggeredBy\n    startedAt\n    completedAt\n    skusProcessed\n    itemsChanged\n    eventsEmitted\n    invalidRecords\n    apiLatencyMs\n    durationMs\n    archivePath\n    errorMessage\n    drift {\n      levelsDiffering\n      unknownToLedger\n      missingFromErp\n      largest {\n        sku\n        locationId\n        erp\n        ledger\n        difference\n      }\n    }\n  }\n}"): (typeof documents)["query SyncJobs($last: Int = 10) {\n  syncJobs(last: $last) {\n    id\n    status\n    mode\n    triggeredBy\n    startedAt\n    completedAt\n    skusProcessed\n    itemsChanged\n    eventsEmitted\n    invalidRecords\n    apiLatencyMs\n    durationMs\n    archivePath\n    errorMessage\n    drift {\n      levelsDiffering\n      unknownToLedger\n      missingFromErp\n      largest {\n        sku\n        locationId\n        erp\n        ledger\n        difference\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;