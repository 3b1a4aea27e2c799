import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startS3Simulator, type RunningS3Simulator, type S3SimulatorOptions } from '../../../simulators/s3/s3-simulator.js';
import { freePort } from '../../../test/support/free-port.js';
import { ARCHIVE_PREFIX, archiveKey } from './archive-store.js';
import { s3ArchiveStore, type S3ArchiveStoreOptions } from './s3-archive-store.js';

const BUCKET = 'company-erp-backups';
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-23T02:00:00Z');

let dir: string;
let payload: string;
const closers: Array<() => unknown> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3-archive-store-test-'));
  payload = join(dir, 'payload.json');
  await writeFile(payload, JSON.stringify({ 'WH-01': [{ sku: 'CG-0001', qty: 4 }], 'WH-02': [] }));
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

async function simulator(options: S3SimulatorOptions = {}): Promise<RunningS3Simulator> {
  const sim = await startS3Simulator(options);
  closers.push(() => sim.close());
  return sim;
}

function store(endpoint: string, options: Partial<S3ArchiveStoreOptions> = {}) {
  const s = s3ArchiveStore({
    bucket: BUCKET,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    // Static credentials, or the SDK would look for some in the environment and the instance metadata service.
    accessKeyId: 'test',
    secretAccessKey: 'test',
    ...options,
  });
  closers.push(() => s.close());
  return s;
}

/** Counts the simulator's requests of one kind, e.g. `GET ?list-type=2`. */
function countRequests(sim: RunningS3Simulator, match: (req: IncomingMessage) => boolean): { count: number } {
  const counter = { count: 0 };
  sim.server.on('request', (req: IncomingMessage) => {
    if (match(req)) counter.count++;
  });
  return counter;
}
const isList = (req: IncomingMessage) => req.method === 'GET' && (req.url ?? '').includes('list-type=2');
const isDelete = (req: IncomingMessage) => req.method === 'POST' && /[?&]delete(=|&|$)/.test(req.url ?? '');

/**
 * A server in front of the simulator: `answer` may answer a request itself
 * (a status and S3 error code) or let it through to the simulator.
 */
async function front(sim: RunningS3Simulator, answer: (req: IncomingMessage) => { status: number; code: string } | undefined): Promise<string> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const own = answer(req);
    if (own) {
      req.resume();
      req.on('end', () => {
        res.writeHead(own.status, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${own.code}</Code><Message>front</Message></Error>`);
      });
      return;
    }
    const upstream = request(`${sim.url}${req.url}`, { method: req.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('s3ArchiveStore', () => {
  it('uploads the file under its key and answers s3://bucket/key', async () => {
    const sim = await simulator();
    const s = store(sim.url);
    const key = archiveKey(NOW);

    const where = await s.put(key, payload);

    expect(s.location).toBe(`s3://${BUCKET}/`);
    expect(where).toBe(`s3://${BUCKET}/inventory-sync/2026-11-23/inventory_20261123_020000.json`);
    const bytes = await readFile(payload);
    expect(sim.objects.get(`${BUCKET}/${key}`)?.body).toEqual(bytes);
    // And S3's own GET gives the same bytes back.
    const res = await fetch(`${sim.url}/${BUCKET}/${key}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('follows list pages and deletes only the archives last modified before the cut-off', async () => {
    let clock = new Date(NOW.getTime() - 45 * DAY);
    const sim = await simulator({ pageSize: 2, now: () => clock });
    const lists = countRequests(sim, isList);
    const s = store(sim.url);
    const ages = [45, 40, 31, 29, 0];
    for (const age of ages) {
      clock = new Date(NOW.getTime() - age * DAY);
      await s.put(archiveKey(clock), payload);
    }

    const deleted = await s.deleteOlderThan(ARCHIVE_PREFIX, new Date(NOW.getTime() - 30 * DAY));

    expect(deleted).toBe(3);
    // Five keys at two a page.
    expect(lists.count).toBe(3);
    expect([...sim.objects.keys()].sort()).toEqual(
      [29, 0].map((age) => `${BUCKET}/${archiveKey(new Date(NOW.getTime() - age * DAY))}`).sort(),
    );
  });

  it('deletes more than 1000 archives in batches S3 accepts', async () => {
    const sim = await simulator();
    const deletes = countRequests(sim, isDelete);
    const s = store(sim.url);
    const old = new Date(NOW.getTime() - 60 * DAY);
    for (let i = 0; i < 1500; i++) {
      sim.objects.set(`${BUCKET}/${archiveKey(new Date(old.getTime() + i * 1000))}`, { body: Buffer.from('{}'), lastModified: old });
    }
    sim.objects.set(`${BUCKET}/${archiveKey(NOW)}`, { body: Buffer.from('{}'), lastModified: NOW });

    // The simulator, as S3, refuses a DeleteObjects of more than 1000 keys.
    expect(await s.deleteOlderThan(ARCHIVE_PREFIX, new Date(NOW.getTime() - 30 * DAY))).toBe(1500);

    expect(deletes.count).toBe(2);
    expect([...sim.objects.keys()]).toEqual([`${BUCKET}/${archiveKey(NOW)}`]);
  });

  it('leaves objects outside the prefix folder and in other buckets alone', async () => {
    const sim = await simulator();
    const s = store(sim.url);
    const old = { body: Buffer.from('{}'), lastModified: new Date(0) };
    const others = [`${BUCKET}/inventory-sync-old/a.json`, `${BUCKET}/other/b.json`, `another-bucket/${archiveKey(NOW)}`];
    for (const key of others) sim.objects.set(key, old);
    sim.objects.set(`${BUCKET}/${archiveKey(NOW)}`, old);

    expect(await s.deleteOlderThan(ARCHIVE_PREFIX, NOW)).toBe(1);

    expect([...sim.objects.keys()].sort()).toEqual(others.sort());
  });

  it('deletes nothing from an empty bucket', async () => {
    const sim = await simulator();
    expect(await store(sim.url).deleteOlderThan(ARCHIVE_PREFIX, NOW)).toBe(0);
  });

  it('tries an upload again, with the whole file, after a 503', async () => {
    const sim = await simulator();
    let puts = 0;
    const url = await front(sim, (req) => (req.method === 'PUT' && ++puts === 1 ? { status: 503, code: 'SlowDown' } : undefined));
    const s = store(url);

    await s.put(archiveKey(NOW), payload);

    expect(puts).toBe(2);
    expect(sim.objects.get(`${BUCKET}/${archiveKey(NOW)}`)?.body).toEqual(await readFile(payload));
  });

  it('does not try again after a 403', async () => {
    const sim = await simulator();
    let puts = 0;
    const url = await front(sim, (req) => {
      if (req.method !== 'PUT') return undefined;
      puts++;
      return { status: 403, code: 'AccessDenied' };
    });

    await expect(store(url).put(archiveKey(NOW), payload)).rejects.toMatchObject({ name: 'AccessDenied' });

    expect(puts).toBe(1);
    expect(sim.objects.size).toBe(0);
  });

  it('rejects a put when nothing listens on the port', async () => {
    const s = store(`http://127.0.0.1:${await freePort()}`, { timeoutMs: 5_000 });
    await expect(s.put(archiveKey(NOW), payload)).rejects.toThrow();
  });

  it('rejects a put that gets no answer once its timeout passes', async () => {
    // Accepts connections and never answers.
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => {
      sockets.add(socket);
      socket.resume();
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await once(silent, 'close');
    });
    const s = store(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, { timeoutMs: 200 });

    await expect(s.put(archiveKey(NOW), payload)).rejects.toThrow(/PutObject .* timed out after 200 ms/);
    await expect(s.deleteOlderThan(ARCHIVE_PREFIX, NOW)).rejects.toThrow(/ListObjectsV2 .* timed out after 200 ms/);
  });

  it('uses a client it is given, and leaves it open on close', async () => {
    const sim = await simulator();
    const client = new S3Client({ region: 'us-east-1', endpoint: sim.url, forcePathStyle: true, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    closers.push(() => client.destroy());
    const destroy = vi.spyOn(client, 'destroy');
    const s = store('http://127.0.0.1:1', { client });

    expect(await s.put(archiveKey(NOW), payload)).toBe(`s3://${BUCKET}/${archiveKey(NOW)}`);
    s.close();

    expect(destroy).not.toHaveBeenCalled();
  });

  it('refuses half a pair of credentials', () => {
    expect(() => s3ArchiveStore({ bucket: BUCKET, region: 'us-east-1', accessKeyId: 'only-this' })).toThrow(/both or neither/);
  });
});
