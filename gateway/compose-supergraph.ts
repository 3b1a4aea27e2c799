import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, parse, printSchema, type GraphQLSchema } from 'graphql';
import { SUBGRAPH_NAMES, loadConfig, type SubgraphName } from '../lib/config.js';
import { apiSchemaOf } from './authorization/security-features.js';
import { createCustomerSchema } from '../subgraphs/customer/index.js';
import { createInventorySchema } from '../subgraphs/inventory/index.js';
import { createOrderSchema } from '../subgraphs/order/index.js';
import { createProductSchema } from '../subgraphs/product/index.js';

/** The URLs composed into the supergraph: the defaults of `lib/config.ts`; the gateway overrides them at run time. */
const DEFAULT_SUBGRAPH_URLS = loadConfig({}).gateway.subgraphs;

const SCHEMAS: Record<SubgraphName, () => Promise<GraphQLSchema>> = {
  product: createProductSchema,
  inventory: createInventorySchema,
  customer: createCustomerSchema,
  order: createOrderSchema,
};

export interface Composition {
  subgraphs: Array<{ name: SubgraphName; sdl: string }>;
  supergraphSdl: string;
  /** The public API as clients see it: what codegen and the contract test read. */
  apiSdl: string;
}

/** Prints every subgraph's SDL from its code and composes them (Federation 2); throws with every composition error. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => ({ name, sdl: printSubgraphSchema(await SCHEMAS[name]()) })),
  );
  const result = composeServices(subgraphs.map(({ name, sdl }) => ({ name, url: DEFAULT_SUBGRAPH_URLS[name], typeDefs: parse(sdl) })));
  if (result.errors) {
    throw new Error(`The subgraphs do not compose:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  const api = apiSchemaOf(result.supergraphSdl);
  return { subgraphs, supergraphSdl: result.supergraphSdl, apiSdl: printSchema(lexicographicSortSchema(api)) };
}
