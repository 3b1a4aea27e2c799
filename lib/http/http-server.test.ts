import { once } from 'node:events';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, readBody, sendJson, type RunningServer } from './http-server.js';

/** A promise with its resolve at hand: a handler waits on it, the test releases it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const started: RunningServer[] = [];
const agents: Agent[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) {
    server.destroyConnections();
    await server.close();
  }
  for (const agent of agents.splice(0)) agent.destroy();
});

/**
 * A server with four routes: `/fast` answers at once (and counts its runs),
 * `/hold` answers when the test releases it (and says it arrived), `/stream`
 * sends its head and a first part at once and the rest when released,
 * `/upload` reads its whole body and answers its length (and says it arrived, before reading).
 */
async function holdingServer() {
  const arrived = { hold: deferred(), stream: deferred(), upload: deferred() };
  const release = deferred();
  const runs = { fast: 0 };
  const server = await listen(async (req, res) => {
    if (req.url === '/hold') {
      arrived.hold.resolve();
      await release.promise;
      return sendJson(res, 200, { held: true });
    }
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 6 });
      res.write('first ');
      arrived.stream.resolve();
      await release.promise;
      return void res.end();
    }
    if (req.url === '/upload') {
      arrived.upload.resolve();
      return sendJson(res, 200, { received: (await readBody(req)).length });
    }
    runs.fast++;
    sendJson(res, 200, { fast: true });
  }, 0);
  started.push(server);
  return { server, arrived, release, runs };
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
  socket: Socket;
}

/** One GET through `agent` (keep-alive), read in full. */
function get(server: RunningServer, path: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), socket: req.socket as Socket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const keepAlive = () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
};

/** A raw connection, and everything the server sends on it until it ends the connection. */
async function rawConnection(port: number): Promise<{ socket: Socket; received: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const received = once(socket, 'end').then(() => Buffer.concat(chunks).toString('utf8'));
  return { socket, received };
}

/** Connecting to `port` fails with this code (ECONNREFUSED once nothing listens). */
function connectError(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

describe('listen: draining on close', () => {
  it('answers a request in flight in full, refuses new connections, and resolves once it went out', async () => {
    const { server, arrived } = await holdingServer();
    const { socket, received } = await rawConnection(server.port);
    // Headers and half the body: the request is taken (its handler runs) but not yet complete.
    socket.write('POST /upload HTTP/1.1\r\nhost: test\r\ncontent-type: application/octet-stream\r\ncontent-length: 10\r\n\r\n12345');
    await arrived.upload.promise;

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    expect(server.isShuttingDown()).toBe(true);
    expect(await connectError(server.port)).toBe('ECONNREFUSED');
    expect(closed).toBe(false);

    socket.write('67890');
    const answer = await received;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('\r\nconnection: close\r\n');
    expect(answer.endsWith('{"received":10}')).toBe(true);
    await closing;
    expect(closed).toBe(true);
  });

  it('ends an idle keep-alive connection at once, and a busy one after its answer, which says Connection: close', async () => {
    const { server, arrived, release } = await holdingServer();
    const idle = await get(server, '/fast', keepAlive());
    expect(idle.headers.connection).toBe('keep-alive');
    const busyAgent = keepAlive();
    const warm = await get(server, '/fast', busyAgent);
    // The same keep-alive connection carries the held request.
    const held = get(server, '/hold', busyAgent);
    await arrived.hold.promise;

    const idleEnded = once(idle.socket, 'close');
    const closing = server.close();
    await idleEnded;

    release.resolve();
    const answer = await held;
    expect(answer.socket).toBe(warm.socket);
    expect(answer).toMatchObject({ status: 200, body: { held: true } });
    expect(answer.headers.connection).toBe('close');
    // The connection ends after that answer (a test timeout here if it stayed open).
    if (!answer.socket.destroyed) await once(answer.socket, 'close');
    await closing;
  });

  it('answers requests pipelined on one connection, each in full, before ending it', async () => {
    const { server, arrived, release } = await holdingServer();
    const { socket, received } = await rawConnection(server.port);
    socket.write('GET /hold HTTP/1.1\r\nhost: test\r\n\r\nGET /fast HTTP/1.1\r\nhost: test\r\n\r\n');
    await arrived.hold.promise;
    const closing = server.close();
    release.resolve();
    const answers = await received;
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    expect(answers.indexOf('{"held":true}')).toBeLessThan(answers.indexOf('{"fast":true}'));
    await closing;
  });

  it('after beginShutdown, moves Connection: close to the last of the requests pipelined on a connection', async () => {
    const { server, arrived, release } = await holdingServer();
    server.beginShutdown();
    const { socket, received } = await rawConnection(server.port);
    socket.write('GET /hold HTTP/1.1\r\nhost: test\r\n\r\n');
    await arrived.hold.promise;
    // Taken while the first still waits: the connection now stays open for it, and closes after it.
    socket.write('POST /upload HTTP/1.1\r\nhost: test\r\ncontent-length: 3\r\n\r\nabc');
    await arrived.upload.promise;
    release.resolve();
    const answers = await received;
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
    const [first, second] = answers.split(/(?=HTTP\/1\.1 200 OK)/);
    // No `Connection` header at all: HTTP/1.1's default, persistent.
    expect(first!.toLowerCase()).not.toContain('connection: close');
    expect(first!.endsWith('{"held":true}')).toBe(true);
    expect(second!.toLowerCase()).toContain('connection: close');
    expect(second!.endsWith('{"received":3}')).toBe(true);
    await server.close();
  });

  it('does not run a request pipelined behind an answer already sent with Connection: close', async () => {
    const { server, arrived, release, runs } = await holdingServer();
    server.beginShutdown();
    const { socket, received } = await rawConnection(server.port);
    socket.write('GET /stream HTTP/1.1\r\nhost: test\r\n\r\n');
    await arrived.stream.promise;
    // The connection ends after /stream, so these could never be answered: neither is run.
    socket.write('GET /fast HTTP/1.1\r\nhost: test\r\n\r\nGET /fast HTTP/1.1\r\nhost: test\r\n\r\n');
    const closing = server.close();
    release.resolve();
    const answers = await received;
    expect(answers.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(answers.toLowerCase()).toContain('connection: close');
    expect(answers.endsWith('first ')).toBe(true);
    await closing;
    expect(runs.fast).toBe(0);
  });

  it('after beginShutdown, still accepts, and closes each keep-alive connection after its answer', async () => {
    const { server } = await holdingServer();
    const agent = keepAlive();
    const before = await get(server, '/fast', agent);
    expect(before.headers.connection).toBe('keep-alive');
    expect(server.isShuttingDown()).toBe(false);

    server.beginShutdown();
    expect(server.isShuttingDown()).toBe(true);
    const during = await get(server, '/fast', agent);
    expect(during).toMatchObject({ status: 200, body: { fast: true } });
    expect(during.headers.connection).toBe('close');
    // The client had to open a new connection for the next request, and it was accepted.
    const next = await get(server, '/fast', agent);
    expect(next.status).toBe(200);
    expect(next.socket).not.toBe(during.socket);
    await server.close();
  });

  it('destroys what is still open on destroyConnections, so a pending close resolves', async () => {
    const { server, arrived } = await holdingServer();
    const held = get(server, '/hold', keepAlive());
    await arrived.hold.promise;
    const closing = server.close();
    server.destroyConnections();
    await expect(held).rejects.toMatchObject({ code: 'ECONNRESET' });
    await closing;
  });

  it('is idempotent: a second close is the same promise', async () => {
    const { server } = await holdingServer();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
  });
});

describe('a connection that stalls the drain', () => {
  it('is ended after a grace when it holds a request its client began and never finished', async () => {
    const { server, runs } = await holdingServer();
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    // Headers begun, never ended: Node counts the request as under way, so it is not idle.
    socket.write('POST /fast HTTP/1.1\r\nhost: x\r\n');
    const ended = once(socket, 'close');
    await server.close();
    await ended;
    expect(runs.fast).toBe(0);
  });
});
