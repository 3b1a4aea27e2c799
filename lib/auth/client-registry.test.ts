import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from './claims.js';
import { ClientRegistry, ClientRegistryBusyError, clientRegistryFromFile, demoClients } from './client-registry.js';
import { hashClientSecret } from './client-secret.js';

let dir: string;
let hash: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'client-registry-'));
  hash = await hashClientSecret('right');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function file(content: unknown): Promise<string> {
  const path = join(dir, `clients-${++n}.json`);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('clientRegistryFromFile', () => {
  it('loads valid clients and authenticates them', async () => {
    const registry = await clientRegistryFromFile(
      await file({
        clients: [
          { id: 'a', name: 'A', secretHash: hash, scopes: ['inventory:read'] },
          { id: 'b', name: 'B', secretHash: hash, scopes: [] },
        ],
      }),
    );
    expect(await registry.authenticate('a', 'right')).toEqual({ id: 'a', name: 'A', secretHash: hash, scopes: ['inventory:read'] });
    expect(await registry.authenticate('b', 'right')).toMatchObject({ id: 'b', scopes: [] });
    expect(await registry.authenticate('a', 'wrong')).toBeUndefined();
    expect(await registry.authenticate('c', 'right')).toBeUndefined();
  });

  it('refuses a plain secret with a clear message', async () => {
    const path = await file({ clients: [{ id: 'a', name: 'A', secret: 'hunter2', scopes: [] }] });
    await expect(clientRegistryFromFile(path)).rejects.toThrow(/clients\.0: has a plain "secret": secrets are never stored plain/);
  });

  it('refuses a plain secret even next to a hash', async () => {
    const path = await file({ clients: [{ id: 'a', name: 'A', secret: 'hunter2', secretHash: hash, scopes: [] }] });
    await expect(clientRegistryFromFile(path)).rejects.toThrow(/never stored plain/);
  });

  it('refuses unknown scopes, duplicate ids, bad hashes, missing fields and bad JSON, naming the path', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ clients: [{ id: 'a', name: 'A', secretHash: hash, scopes: ['inventory:delete'] }] }, /clients\.0\.scopes\.0/],
      [
        {
          clients: [
            { id: 'a', name: 'A', secretHash: hash, scopes: [] },
            { id: 'a', name: 'A2', secretHash: hash, scopes: [] },
          ],
        },
        /clients\.1\.id: duplicate client id "a"/,
      ],
      [{ clients: [{ id: 'a', name: 'A', secretHash: 'hunter2', scopes: [] }] }, /clients\.0\.secretHash: must be hashClientSecret output/],
      [{ clients: [{ id: 'a', name: 'A', secretHash: hash }] }, /clients\.0\.scopes/],
      [{ clients: [{ id: '', name: 'A', secretHash: hash, scopes: [] }] }, /clients\.0\.id/],
      [{ client: [] }, /invalid/],
      ['{not json', /OAuth clients file .*clients-\d+\.json/],
    ];
    for (const [content, message] of cases) {
      const path = await file(content);
      await expect(clientRegistryFromFile(path), JSON.stringify(content)).rejects.toThrow(message);
      await expect(clientRegistryFromFile(path)).rejects.toThrow(path);
    }
  });

  it('names a missing file', async () => {
    await expect(clientRegistryFromFile(join(dir, 'absent.json'))).rejects.toThrow(/absent\.json/);
  });
});

describe('demoClients', () => {
  it('are the four documented clients, with their documented secrets', async () => {
    const clients = await demoClients();
    expect(clients.map((c) => [c.id, c.scopes])).toEqual([
      ['storefront-web', []],
      ['pos-terminal-s001', ['inventory:read', 'inventory:write']],
      ['partner-acme', ['inventory:read', 'customers:read', 'orders:read']],
      ['ops-console', [...SCOPES]],
    ]);
    expect(clients.find((c) => c.id === 'ops-console')!.scopes).toEqual(expect.arrayContaining(['customers:pii', 'ops']));
    const registry = new ClientRegistry(clients);
    const secrets = { 'storefront-web': 'storefront-dev-secret', 'pos-terminal-s001': 'pos-dev-secret', 'partner-acme': 'partner-dev-secret', 'ops-console': 'ops-dev-secret' };
    for (const [id, secret] of Object.entries(secrets)) {
      expect((await registry.authenticate(id, secret))?.id).toBe(id);
      expect(await registry.authenticate(id, 'ops-dev-secret-x')).toBeUndefined();
    }
    for (const c of clients) expect(c.secretHash).toMatch(/^scrypt\$/);
  });
});

describe('ClientRegistry', () => {
  it('refuses duplicate ids', () => {
    expect(() => new ClientRegistry([
      { id: 'a', name: 'A', secretHash: hash, scopes: [] },
      { id: 'a', name: 'B', secretHash: hash, scopes: [] },
    ])).toThrow(/Duplicate/);
  });

  it('does not find ids through the prototype chain', async () => {
    const registry = new ClientRegistry([]);
    expect(await registry.authenticate('__proto__', 'x')).toBeUndefined();
    expect(await registry.authenticate('constructor', 'x')).toBeUndefined();
  });

  it('refuses checks beyond what it queues (a flood), and serves again once the queue drains', async () => {
    const registry = new ClientRegistry([{ id: 'a', name: 'A', secretHash: hash, scopes: [] }]);
    // 2 run at once and 32 wait: the 35th is refused at once, before any scrypt.
    const queued = Array.from({ length: 34 }, () => registry.authenticate('a', 'wrong'));
    await expect(registry.authenticate('a', 'wrong')).rejects.toBeInstanceOf(ClientRegistryBusyError);
    expect(await Promise.all(queued)).toEqual(Array(34).fill(undefined));
    expect(await registry.authenticate('a', 'wrong')).toBeUndefined();
  });
});
