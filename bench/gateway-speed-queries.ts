/** The gateway benchmark's three queries (issue #7), and what a good answer to each looks like. */

export type QueryName = 'storefront' | 'deep' | 'catalog';

export interface BenchQuery {
  name: QueryName;
  title: string;
  /** Sent with the partner's bearer token (the others are anonymous). */
  withToken: boolean;
  /** The POST body, the same bytes for every request of a run. */
  body(customerId: string): string;
  /** Why `data` is not the expected answer; undefined when it is. */
  check(data: unknown, customerId: string): string | undefined;
}

/** Products on a storefront or catalog page: the first this many of the catalog. */
export const PAGE_SIZE = 20;

/** (a) A storefront category page: 20 products with price and live stock (product and inventory subgraphs). */
const STOREFRONT = `query StorefrontProducts {
  products(first: ${PAGE_SIZE}) {
    edges { node { sku name price { amount currencyCode } stock { available inStock } } }
  }
}`;

/** (b) A partner reads a customer, their orders, each line's product and its stock (all four subgraphs). */
const DEEP = `query PartnerCustomerOrders($id: ID!) {
  customer(id: $id) {
    id
    name
    orders(first: 10) {
      edges {
        node {
          id
          number
          placedAt
          total { amount currencyCode }
          lines { sku quantity unitPrice { amount currencyCode } product { name stock { available } } }
        }
      }
    }
  }
}`;

/** (c) The anonymous catalog page, public and the same for everyone (product subgraph only): what a response cache could serve. */
const CATALOG = `query CatalogPage {
  products(first: ${PAGE_SIZE}) {
    totalCount
    edges { node { sku name price { amount currencyCode } images { url alt } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMoney = (v: unknown) => isObject(v) && typeof v.amount === 'string' && typeof v.currencyCode === 'string';

/** The nodes of `products(first: PAGE_SIZE)`, or why there are not that many. */
function productNodes(data: unknown): Json[] | string {
  const edges = isObject(data) && isObject(data.products) ? data.products.edges : undefined;
  if (!Array.isArray(edges)) return 'no products.edges';
  if (edges.length !== PAGE_SIZE) return `${edges.length} products, not ${PAGE_SIZE}`;
  const nodes = edges.map((e: unknown) => (isObject(e) && isObject(e.node) ? e.node : undefined));
  return nodes.every((n) => n !== undefined) ? (nodes as Json[]) : 'an edge without a node';
}

export const QUERIES: readonly BenchQuery[] = [
  {
    name: 'storefront',
    title: '(a) storefront products(first: 20) + stock',
    withToken: false,
    body: () => JSON.stringify({ query: STOREFRONT, operationName: 'StorefrontProducts' }),
    check: (data) => {
      const nodes = productNodes(data);
      if (typeof nodes === 'string') return nodes;
      const bad = nodes.find(
        (n) => typeof n.sku !== 'string' || typeof n.name !== 'string' || !isMoney(n.price) || !isObject(n.stock) || typeof n.stock.available !== 'number' || typeof n.stock.inStock !== 'boolean',
      );
      return bad ? `product ${String(bad.sku)} lacks name, price or stock: ${JSON.stringify(bad)}` : undefined;
    },
  },
  {
    name: 'deep',
    title: '(b) deep: customer > orders > lines > product > stock (partner token)',
    withToken: true,
    body: (customerId) => JSON.stringify({ query: DEEP, operationName: 'PartnerCustomerOrders', variables: { id: customerId } }),
    check: (data, customerId) => {
      const customer = isObject(data) && isObject(data.customer) ? data.customer : undefined;
      if (!customer) return 'no customer';
      if (customer.id !== customerId) return `customer ${String(customer.id)}, not ${customerId}`;
      const edges = isObject(customer.orders) ? customer.orders.edges : undefined;
      if (!Array.isArray(edges) || edges.length === 0) return 'no orders';
      const lines = edges.flatMap((e: unknown) => (isObject(e) && isObject(e.node) && Array.isArray(e.node.lines) ? (e.node.lines as unknown[]) : [undefined]));
      if (lines.length === 0) return 'orders without lines';
      const bad = lines.find((l) => !isObject(l) || !isObject(l.product) || typeof l.product.name !== 'string' || !isObject(l.product.stock) || typeof l.product.stock.available !== 'number');
      return bad === undefined ? undefined : `a line without product name or stock: ${JSON.stringify(bad)}`;
    },
  },
  {
    name: 'catalog',
    title: '(c) catalog page, anonymous, repeated (cacheable)',
    withToken: false,
    body: () => JSON.stringify({ query: CATALOG, operationName: 'CatalogPage' }),
    check: (data) => {
      const nodes = productNodes(data);
      if (typeof nodes === 'string') return nodes;
      if (!isObject(data) || !isObject(data.products) || typeof data.products.totalCount !== 'number') return 'no totalCount';
      const bad = nodes.find((n) => typeof n.name !== 'string' || !isMoney(n.price) || !Array.isArray(n.images));
      return bad ? `product ${String(bad.sku)} lacks name, price or images` : undefined;
    },
  },
];
