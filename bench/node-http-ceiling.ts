/**
 * The ceiling for Node on this machine: a bare `node:http` server that reads
 * each request's body and answers one fixed JSON body (argv[2]: the storefront
 * answer as our gateway gave it, so the bytes on the wire match), nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = Buffer.from(process.argv[2] ?? '{"data":{}}', 'utf8');
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

const server = createServer((req, res) => {
  // Read to the end, as any GraphQL server must before it answers.
  req.on('data', () => undefined);
  req.on('end', () => res.writeHead(200, headers).end(body));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: 'node-http', url: `http://127.0.0.1:${port}/graphql` })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
