import pLimit from 'p-limit';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SCOPES, type Scope } from './claims.js';
import { dearestCost, hashClientSecret, isClientSecretHash, verifyClientSecret } from './client-secret.js';

/** A client that may ask the gateway for tokens (RFC 6749 §2: a confidential client). */
export interface OAuthClient {
  /** `client_id`, and the `sub` of its tokens. */
  id: string;
  /** Who this is, for logs and people. */
  name: string;
  /** `hashClientSecret`'s output; the secret itself is never stored. */
  secretHash: string;
  /** The most this client may be granted; a token request without `scope` gets all of them. */
  scopes: readonly string[];
}

const clientSchema = z
  .object({
    // RFC 6749 §A.1: client_id is printable ASCII.
    id: z.string().regex(/^[\x20-\x7e]+$/, 'must be non-empty printable ASCII'),
    name: z.string().min(1),
    secretHash: z.string().refine(isClientSecretHash, 'must be hashClientSecret output: scrypt$<N>$<r>$<p>$<salt>$<hash>'),
    scopes: z.array(z.enum(SCOPES)),
  })
  .strict();

const fileSchema = z
  .object({
    clients: z.array(
      z.unknown().superRefine((value, ctx) => {
        // Said plainly rather than as "unrecognized key": someone pasted a secret into the file.
        if (typeof value === 'object' && value !== null && 'secret' in value) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'has a plain "secret": secrets are never stored plain; put hashClientSecret(secret) in "secretHash" instead' });
        }
      }).pipe(clientSchema),
    ),
  })
  .strict()
  .superRefine(({ clients }, ctx) => {
    const seen = new Set<string>();
    clients.forEach((client, index) => {
      if (seen.has(client.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['clients', index, 'id'], message: `duplicate client id "${client.id}"` });
      seen.add(client.id);
    });
  });

/**
 * The clients of a JSON file `{"clients": [{"id", "name", "secretHash", "scopes": [...]}]}`.
 * Anything wrong (an unknown scope, a repeated id, a plain `secret`) fails the
 * whole file with every problem listed, so the gateway refuses to start
 * rather than run with some clients missing.
 */
export async function clientRegistryFromFile(path: string): Promise<ClientRegistry> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`OAuth clients file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`OAuth clients file ${path} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return new ClientRegistry(parsed.data.clients);
}

/**
 * The development clients, for a gateway started without a clients file in
 * development only: their secrets are public (README lists them too).
 *
 * | id                  | secret                  | scopes                                          |
 * |---------------------|-------------------------|-------------------------------------------------|
 * | `storefront-web`    | `storefront-dev-secret` | none: the public catalog only                   |
 * | `pos-terminal-s001` | `pos-dev-secret`        | `inventory:read inventory:write`                |
 * | `partner-acme`      | `partner-dev-secret`    | `inventory:read customers:read orders:read`     |
 * | `ops-console`       | `ops-dev-secret`        | all of SCOPES, `customers:pii` and `ops` too    |
 *
 * The hashes are computed on each call (salted, so they differ every time);
 * nothing hashed ships in the source.
 */
export async function demoClients(): Promise<OAuthClient[]> {
  return Promise.all(DEMO_CLIENTS.map(async ({ secret, ...client }) => ({ ...client, scopes: [...client.scopes], secretHash: await hashClientSecret(secret) })));
}

/** The demo clients with their (public) secrets: what `demoClients` registers, and what examples, tests and benchmarks log in as. */
export const DEMO_CLIENTS = [
  { id: 'storefront-web', name: 'Storefront (development)', secret: 'storefront-dev-secret', scopes: [] },
  { id: 'pos-terminal-s001', name: 'POS terminal S001 (development)', secret: 'pos-dev-secret', scopes: ['inventory:read', 'inventory:write'] },
  { id: 'partner-acme', name: 'ACME partner (development)', secret: 'partner-dev-secret', scopes: ['inventory:read', 'customers:read', 'orders:read'] },
  { id: 'ops-console', name: 'Operations console (development)', secret: 'ops-dev-secret', scopes: SCOPES },
] as const satisfies ReadonlyArray<{ id: string; name: string; secret: string; scopes: readonly Scope[] }>;
export type DemoClientId = (typeof DEMO_CLIENTS)[number]['id'];

/** The known clients, checked by id and secret. */
/** More secret checks than the registry will queue: the caller answers 503 and the client retries. */
export class ClientRegistryBusyError extends Error {
  override readonly name = 'ClientRegistryBusyError';
}

/** Secret checks run at once: each is a 16 MiB scrypt on libuv's thread pool, which DNS lookups and file reads share. */
const CONCURRENT_CHECKS = 2;
/** Checks waiting beyond those: past this a flood is refused, not queued without end. */
const WAITING_CHECKS = 32;

export class ClientRegistry {
  private readonly byId: ReadonlyMap<string, OAuthClient>;
  private readonly checks = pLimit(CONCURRENT_CHECKS);
  /** What an unknown id is checked against: it costs the scrypt of the dearest known one, so timing does not tell which ids exist. */
  private readonly dummyHash: Promise<string>;

  constructor(clients: readonly OAuthClient[]) {
    const byId = new Map<string, OAuthClient>();
    for (const client of clients) {
      if (byId.has(client.id)) throw new Error(`Duplicate OAuth client id "${client.id}".`);
      byId.set(client.id, client);
    }
    this.byId = byId;
    this.dummyHash = hashClientSecret(randomBytes(32).toString('base64'), dearestCost(clients.map((c) => c.secretHash)));
    // Awaited on first use; this only keeps a failure from being an unhandled rejection before then.
    this.dummyHash.catch(() => undefined);
  }

  /**
   * The client with this id and secret; undefined for an unknown id or a
   * wrong secret, with no way to tell which. Rejects with
   * ClientRegistryBusyError when too many checks are already waiting.
   */
  async authenticate(id: string, secret: string): Promise<OAuthClient | undefined> {
    if (this.checks.activeCount + this.checks.pendingCount >= CONCURRENT_CHECKS + WAITING_CHECKS) throw new ClientRegistryBusyError('Too many client authentications at once.');
    return this.checks(() => this.check(id, secret));
  }

  private async check(id: string, secret: string): Promise<OAuthClient | undefined> {
    const client = this.byId.get(id);
    const matches = await verifyClientSecret(secret, client?.secretHash ?? (await this.dummyHash));
    return client && matches ? client : undefined;
  }
}
