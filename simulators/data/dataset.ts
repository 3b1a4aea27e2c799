import { Random, hash32 } from './random.js';
import { ADJECTIVES, CATEGORY_NOUNS, CITIES, COLORS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, MATERIALS, STREETS, SUBCATEGORIES } from './words.js';

/**
 * One deterministic world behind all four simulators: the same seed and sizes
 * give the same catalog, locations, stock, people and orders in every process,
 * so Magento, the ERP, the POS and the CRM agree on SKUs and on who is who.
 */
export interface DatasetSizes {
  skus: number;
  warehouses: number;
  stores: number;
  customers: number;
}

export interface Category {
  id: number;
  parentId: number;
  name: string;
  level: number;
}

export interface ProductRecord {
  /** Magento entity_id. */
  id: number;
  sku: string;
  name: string;
  description: string;
  price: number;
  categoryIds: number[];
  imageCount: number;
  weight: number;
  createdAt: string;
  updatedAt: string;
  /** The ERP flags it discontinued: stock is 0 everywhere. */
  discontinued: boolean;
}

export interface LocationRecord {
  /** `WH-01`.. for ERP warehouses, `S001`.. for POS stores. */
  id: string;
  name: string;
  type: 'WAREHOUSE' | 'STORE';
  city: string;
}

/** The person as they are; each system holds its own, varied, copy. */
export interface Person {
  index: number;
  firstName: string;
  nicknames: string[];
  lastName: string;
  email: string;
  phoneDigits: string;
  street: string;
  city: string;
  postcode: string;
  /** Where they lived before moving, as an older system may still have it. */
  previousStreet?: string;
}

export interface CrmContact {
  Id: string;
  FirstName: string;
  LastName: string;
  Email: string | null;
  Phone: string | null;
  MailingStreet: string;
  MailingCity: string;
  MailingPostalCode: string;
  Loyalty_Id__c: string | null;
  CreatedDate: string;
  LastModifiedDate: string;
  personIndex: number;
}

export interface LoyaltyCustomer {
  loyaltyId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string;
  postcode: string;
  homeStoreId: string;
  enrolledAt: string;
  personIndex: number;
}

export interface MagentoCustomer {
  id: number;
  email: string;
  firstname: string;
  lastname: string;
  telephone: string;
  street: string;
  city: string;
  postcode: string;
  createdAt: string;
  personIndex: number;
}

export interface OrderLineRecord {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface MagentoOrder {
  entityId: number;
  incrementId: string;
  /** null for a guest checkout. */
  customerId: number | null;
  email: string;
  firstname: string;
  lastname: string;
  createdAt: string;
  status: 'pending' | 'processing' | 'complete' | 'canceled';
  lines: OrderLineRecord[];
  subtotal: number;
  shipping: number;
  grandTotal: number;
}

export interface PosOrder {
  orderId: string;
  storeId: string;
  loyaltyId: string | null;
  placedAt: string;
  status: 'COMPLETED' | 'REFUNDED';
  lines: OrderLineRecord[];
  total: number;
}

export interface Dataset {
  seed: number;
  sizes: DatasetSizes;
  currency: string;
  categories: Category[];
  products: ProductRecord[];
  productBySku: Map<string, ProductRecord>;
  warehouses: LocationRecord[];
  stores: LocationRecord[];
  people: Person[];
  crmContacts: CrmContact[];
  loyaltyCustomers: LoyaltyCustomer[];
  magentoCustomers: MagentoCustomer[];
  magentoOrders: MagentoOrder[];
  posOrders: PosOrder[];
  /** Baseline stock of a product at a location (no storage: derived from the seed). */
  baselineQty(product: ProductRecord, location: LocationRecord): number;
  /** When the ERP last changed a warehouse quantity (for `modifiedSince`). */
  baselineModifiedAt(product: ProductRecord, location: LocationRecord): string;
}

export const DEFAULT_SIZES: DatasetSizes = { skus: 2_000, warehouses: 2, stores: 20, customers: 5_000 };

/** The instant all generated timestamps count back from, so they do not change between runs. */
export const EPOCH = Date.parse('2026-11-01T00:00:00Z');
const DAY = 86_400_000;
/** Never later than the epoch: generated history is all in the past. */
const iso = (ms: number) => new Date(Math.min(ms, EPOCH)).toISOString();
const money = (n: number) => Math.round(n * 100) / 100;

/** The person with the most orders: README and tests use them as the "customer with orders". */
export const BUSY_PERSON_INDEX = 0;

export function generateDataset(seed: number, sizes: DatasetSizes = DEFAULT_SIZES): Dataset {
  // One stream per domain, so that a bigger catalog does not change who the people are.
  const stream = (domain: number) => new Random(hash32(seed, domain));
  const categories = generateCategories();
  const leafCategories = categories.filter((c) => c.level === 3);
  const products = generateProducts(stream(1), sizes.skus, categories, leafCategories);
  const productBySku = new Map(products.map((p) => [p.sku, p]));
  const warehouses = Array.from({ length: sizes.warehouses }, (_, i): LocationRecord => {
    const [city] = CITIES[i % CITIES.length] as [string, string];
    return { id: `WH-${String(i + 1).padStart(2, '0')}`, name: `${city} Distribution Center`, type: 'WAREHOUSE', city };
  });
  const stores = Array.from({ length: sizes.stores }, (_, i): LocationRecord => {
    const [city] = CITIES[(i * 3 + 1) % CITIES.length] as [string, string];
    return { id: `S${String(i + 1).padStart(3, '0')}`, name: `${city} Store ${Math.floor(i / CITIES.length) + 1}`, type: 'STORE', city };
  });
  const locationIndex = new Map([...warehouses, ...stores].map((l, i) => [l.id, i]));

  const people = generatePeople(stream(2), sizes.customers);
  const { crmContacts, loyaltyCustomers, magentoCustomers } = generateSourceRecords(stream(3), people, stores);
  const { magentoOrders, posOrders } = generateOrders(stream(4), products, magentoCustomers, loyaltyCustomers, stores, people);

  return {
    seed,
    sizes,
    currency: 'USD',
    categories,
    products,
    productBySku,
    warehouses,
    stores,
    people,
    crmContacts,
    loyaltyCustomers,
    magentoCustomers,
    magentoOrders,
    posOrders,
    baselineQty(product, location) {
      if (product.discontinued) return 0;
      const h = hash32(seed, product.id, locationIndex.get(location.id) ?? 0);
      if (location.type === 'WAREHOUSE') return h % 10 === 0 ? 0 : h % 400;
      return h % 5 === 0 ? 0 : h % 25;
    },
    baselineModifiedAt(product, location) {
      const h = hash32(seed, product.id, locationIndex.get(location.id) ?? 0, 7);
      return iso(EPOCH - (h % (30 * DAY)));
    },
  };
}

function generateCategories(): Category[] {
  // Magento: 1 is the root catalog, 2 the default category; ours start at 3.
  const categories: Category[] = [{ id: 2, parentId: 1, name: 'Default Category', level: 1 }];
  let id = 3;
  for (const [top, subs] of Object.entries(SUBCATEGORIES)) {
    const parent = { id: id++, parentId: 2, name: top, level: 2 };
    categories.push(parent);
    for (const sub of subs) categories.push({ id: id++, parentId: parent.id, name: sub, level: 3 });
  }
  return categories;
}

function generateProducts(rnd: Random, count: number, categories: Category[], leaves: Category[]): ProductRecord[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const products: ProductRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const leaf = leaves[i % leaves.length] as Category;
    const top = byId.get(leaf.parentId) as Category;
    const noun = rnd.pick(CATEGORY_NOUNS[top.name] as string[]);
    const name = `${rnd.pick(ADJECTIVES)} ${rnd.pick(MATERIALS)} ${noun} - ${rnd.pick(COLORS)}`;
    const created = EPOCH - rnd.int(30, 900) * DAY;
    products[i] = {
      id: i + 1,
      sku: `CG-${String(i + 1).padStart(6, '0')}`,
      name,
      description: `<p>${name}. ${rnd.pick(['Made to last.', 'Designed in-house.', 'A customer favourite.', 'Responsibly sourced.'])}</p>`,
      price: money(rnd.int(5, 400) + rnd.pick([0.99, 0.49, 0.0, 0.95])),
      categoryIds: [top.id, leaf.id],
      imageCount: rnd.int(1, 4),
      weight: money(rnd.int(1, 50) / 10),
      createdAt: iso(created),
      updatedAt: iso(created + rnd.int(0, 20) * DAY),
      discontinued: rnd.chance(0.01),
    };
  }
  return products;
}

function generatePeople(rnd: Random, count: number): Person[] {
  const people: Person[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const [firstName, nicknames] = rnd.pick(FIRST_NAMES);
    const lastName = rnd.pick(LAST_NAMES);
    const [city, postcode] = rnd.pick(CITIES);
    const local = rnd.pick([
      `${firstName}.${lastName}`,
      `${firstName[0]}${lastName}`,
      `${firstName}${lastName}${rnd.int(1, 99)}`,
      `${lastName}.${firstName}`,
    ]).toLowerCase();
    people[i] = {
      index: i,
      firstName,
      nicknames,
      lastName,
      // The index keeps every address unique while the name part stays realistic.
      email: `${local}${i}@${rnd.pick(EMAIL_DOMAINS)}`,
      phoneDigits: `${rnd.int(201, 989)}${rnd.int(200, 999)}${String(rnd.int(0, 9999)).padStart(4, '0')}`,
      street: `${rnd.int(1, 9999)} ${rnd.pick(STREETS)}`,
      city,
      postcode,
      previousStreet: rnd.chance(0.15) ? `${rnd.int(1, 9999)} ${rnd.pick(STREETS)}` : undefined,
    };
  }
  return people;
}

/** Gmail ignores dots and +tags, so people type their address many ways. */
function varyEmail(rnd: Random, email: string): string {
  const [local, domain] = email.split('@') as [string, string];
  let v = local;
  if (domain === 'gmail.com' && rnd.chance(0.3)) v = v.replace(/\./g, '');
  if (rnd.chance(0.2)) v = `${v}+${rnd.pick(['shop', 'promo', 'web', 'store'])}`;
  const out = `${v}@${domain}`;
  return rnd.chance(0.3) ? out.replace(/^./, (c) => c.toUpperCase()).replace(/@(.)/, (_, c: string) => `@${c.toUpperCase()}`) : out;
}

function typo(rnd: Random, word: string): string {
  if (word.length < 4) return word;
  const i = rnd.int(1, word.length - 2);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

function formatPhone(rnd: Random, digits: string): string {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return rnd.pick([`+1 ${a}-${b}-${c}`, `(${a}) ${b}-${c}`, `${a}.${b}.${c}`, digits, `+1${digits}`, `1-${a}-${b}-${c}`]);
}

function generateSourceRecords(rnd: Random, people: Person[], stores: LocationRecord[]) {
  const crmContacts: CrmContact[] = [];
  const loyaltyCustomers: LoyaltyCustomer[] = [];
  const magentoCustomers: MagentoCustomer[] = [];
  for (const p of people) {
    // The busy person is everywhere, so tests can follow one human across systems.
    const busy = p.index === BUSY_PERSON_INDEX;
    const inLoyalty = busy || rnd.chance(0.45);
    const inMagento = busy || rnd.chance(0.6);
    const inCrm = busy || rnd.chance(0.85) || (!inLoyalty && !inMagento);
    const loyaltyId = inLoyalty ? `L${String(1_000_000 + p.index * 7).padStart(8, '0')}` : null;
    const created = EPOCH - rnd.int(60, 1500) * DAY;
    if (inLoyalty && loyaltyId) {
      loyaltyCustomers.push({
        loyaltyId,
        firstName: rnd.chance(0.4) && p.nicknames.length ? rnd.pick(p.nicknames) : p.firstName,
        lastName: rnd.chance(0.1) ? typo(rnd, p.lastName) : rnd.chance(0.2) ? p.lastName.toUpperCase() : p.lastName,
        email: rnd.chance(0.7) ? varyEmail(rnd, p.email) : null,
        phone: formatPhone(rnd, p.phoneDigits),
        postcode: p.postcode,
        homeStoreId: (stores[p.index % stores.length] as LocationRecord).id,
        enrolledAt: iso(created + rnd.int(0, 50) * DAY),
        personIndex: p.index,
      });
    }
    if (inMagento) {
      magentoCustomers.push({
        id: magentoCustomers.length + 1,
        email: varyEmail(rnd, p.email),
        firstname: rnd.chance(0.25) && p.nicknames.length ? rnd.pick(p.nicknames) : p.firstName,
        lastname: rnd.chance(0.05) ? typo(rnd, p.lastName) : p.lastName,
        telephone: formatPhone(rnd, p.phoneDigits),
        street: p.previousStreet && rnd.chance(0.5) ? p.previousStreet : p.street,
        city: p.city,
        postcode: p.postcode,
        createdAt: iso(created + rnd.int(0, 300) * DAY),
        personIndex: p.index,
      });
    }
    if (inCrm) {
      crmContacts.push({
        Id: `003${(0x5e000000 + p.index).toString(36).toUpperCase().padStart(12, '0')}`,
        FirstName: p.firstName,
        LastName: p.lastName,
        Email: rnd.chance(0.95) ? p.email : null,
        Phone: rnd.chance(0.9) ? formatPhone(rnd, p.phoneDigits) : null,
        MailingStreet: p.street,
        MailingCity: p.city,
        MailingPostalCode: p.postcode,
        // Only some CRM records were ever linked to a loyalty card by hand.
        Loyalty_Id__c: loyaltyId && rnd.chance(0.5) ? loyaltyId : null,
        CreatedDate: iso(created),
        LastModifiedDate: iso(created + rnd.int(0, 50) * DAY),
        personIndex: p.index,
      });
    }
  }
  return { crmContacts, loyaltyCustomers, magentoCustomers };
}

function orderLines(rnd: Random, products: ProductRecord[], max: number): OrderLineRecord[] {
  const lines: OrderLineRecord[] = [];
  const count = rnd.int(1, max);
  for (let i = 0; i < count; i++) {
    const p = products[rnd.int(0, products.length - 1)] as ProductRecord;
    if (lines.some((l) => l.sku === p.sku)) continue;
    lines.push({ sku: p.sku, name: p.name, quantity: rnd.int(1, 3), unitPrice: p.price });
  }
  return lines;
}

const sum = (lines: OrderLineRecord[]) => money(lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0));

function generateOrders(
  rnd: Random,
  products: ProductRecord[],
  customers: MagentoCustomer[],
  loyalty: LoyaltyCustomer[],
  stores: LocationRecord[],
  people: Person[],
) {
  const magentoOrders: MagentoOrder[] = [];
  const statuses: MagentoOrder['status'][] = ['complete', 'complete', 'complete', 'processing', 'pending', 'canceled'];
  const addOnline = (c: MagentoCustomer | null, at: number) => {
    const lines = orderLines(rnd, products, 4);
    const subtotal = sum(lines);
    const shipping = subtotal >= 75 ? 0 : 5.99;
    const guest = people[rnd.int(0, people.length - 1)] as Person;
    magentoOrders.push({
      entityId: magentoOrders.length + 1,
      incrementId: String(100_000_001 + magentoOrders.length).padStart(9, '0'),
      customerId: c ? c.id : null,
      email: c ? c.email : guest.email,
      firstname: c ? c.firstname : guest.firstName,
      lastname: c ? c.lastname : guest.lastName,
      createdAt: iso(at),
      status: rnd.pick(statuses),
      lines,
      subtotal,
      shipping,
      grandTotal: money(subtotal + shipping),
    });
  };
  for (const c of customers) {
    const count = c.personIndex === BUSY_PERSON_INDEX ? 14 : rnd.chance(0.35) ? 0 : rnd.int(1, 5);
    for (let i = 0; i < count; i++) addOnline(c, EPOCH - rnd.int(1, 700) * DAY - rnd.int(0, DAY));
  }
  for (let i = 0; i < Math.ceil(customers.length / 10); i++) addOnline(null, EPOCH - rnd.int(1, 700) * DAY);
  magentoOrders.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  magentoOrders.forEach((o, i) => {
    o.entityId = i + 1;
    o.incrementId = String(100_000_001 + i).padStart(9, '0');
  });

  const posOrders: PosOrder[] = [];
  const storeSeq = new Map<string, number>();
  const addStore = (l: LoyaltyCustomer | null, store: LocationRecord, at: number) => {
    const lines = orderLines(rnd, products, 3);
    const seq = (storeSeq.get(store.id) ?? 0) + 1;
    storeSeq.set(store.id, seq);
    posOrders.push({
      orderId: `${store.id}-${String(seq).padStart(6, '0')}`,
      storeId: store.id,
      loyaltyId: l ? l.loyaltyId : null,
      placedAt: iso(at),
      status: rnd.chance(0.04) ? 'REFUNDED' : 'COMPLETED',
      lines,
      total: sum(lines),
    });
  };
  for (const l of loyalty) {
    const count = l.personIndex === BUSY_PERSON_INDEX ? 8 : rnd.chance(0.3) ? 0 : rnd.int(1, 4);
    const home = stores.find((s) => s.id === l.homeStoreId) as LocationRecord;
    for (let i = 0; i < count; i++) addStore(l, rnd.chance(0.8) ? home : rnd.pick(stores), EPOCH - rnd.int(1, 700) * DAY);
  }
  for (let i = 0; i < Math.ceil(loyalty.length / 5); i++) addStore(null, rnd.pick(stores), EPOCH - rnd.int(1, 700) * DAY);
  posOrders.sort((a, b) => a.placedAt.localeCompare(b.placedAt));
  return { magentoOrders, posOrders };
}
