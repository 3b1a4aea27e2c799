import { once } from 'node:events';
import { createServer } from 'node:http';
import { SCOPES } from '../../lib/auth/claims.js';
import { Keyring } from '../../lib/auth/keyring.js';

export interface TestIdp {
  issuer: string;
  audience: string;
  /** Its signing key; the JWKS serves the public half. */
  keyring: Keyring;
  /** `AUTH_EXTERNAL_ISSUERS` for a gateway that trusts it. */
  trustedBy: string;
  close(): Promise<void>;
}

/**
 * An external identity provider as the gateway meets one: a key of its own and
 * its JWKS on a local port, so tests can mint tokens with any claims a real
 * IdP could issue.
 */
export async function startTestIdp(issuer: string, audience = 'commerce-graph-api'): Promise<TestIdp> {
  const keyring = await Keyring.generate();
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keyring.jwks())));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const jwksUri = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
  return {
    issuer,
    audience,
    keyring,
    trustedBy: JSON.stringify([{ issuer, audience, jwksUri, algorithms: ['RS256'], grants: SCOPES }]),
    close: async () => {
      server.close();
      await once(server, 'close');
    },
  };
}
