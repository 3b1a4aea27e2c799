import { readFile } from 'node:fs/promises';
import type { AuthConfig, Config } from '../../lib/config.js';
import { ClientRegistry, clientRegistryFromFile, demoClients } from '../../lib/auth/client-registry.js';
import { Keyring, TokenSigner } from '../../lib/auth/keyring.js';
import { tokenEndpointRoute } from '../../lib/auth/token-endpoint.js';
import { TokenVerifier } from '../../lib/auth/token-verifier.js';
import type { RequestHandler } from '../../lib/http/http-server.js';
import type { Logger } from '../../lib/logger.js';

/** What the gateway needs to issue and check bearer tokens. */
export interface GatewayAuthSettings {
  issuer: string;
  audience: string;
  /** @default 900 */
  tokenTtlSeconds?: number;
  /** @default 30 */
  clockToleranceSeconds?: number;
  keyring: Keyring;
  clients: ClientRegistry;
  externalIssuers?: AuthConfig['externalIssuers'];
}

export interface GatewayAuth {
  verifier: TokenVerifier;
  /** `POST /oauth/token`. */
  tokenRoute: RequestHandler;
  /** `/.well-known/jwks.json`: the public keys our tokens verify with. */
  jwks(): unknown;
  close(): Promise<void>;
}

/** Our own tokens (signed by the keyring, issued to the registry's clients) and the external issuers', verified alike. */
export function createGatewayAuth(settings: GatewayAuthSettings, logger: Logger): GatewayAuth {
  const signer = new TokenSigner({ keyring: settings.keyring, issuer: settings.issuer, audience: settings.audience, ttlSeconds: settings.tokenTtlSeconds ?? 900 });
  const verifier = new TokenVerifier({
    issuers: [
      // Both: a rotation may move from an RSA key to an EC one while the old key's tokens are still out (each key verifies only its own algorithm).
      { issuer: settings.issuer, audience: settings.audience, algorithms: ['RS256', 'ES256'], keys: { keyring: settings.keyring } },
      ...(settings.externalIssuers ?? []).map((e) => ({ issuer: e.issuer, audience: e.audience, algorithms: e.algorithms, keys: { jwksUri: e.jwksUri }, grants: e.grants })),
    ],
    clockToleranceSeconds: settings.clockToleranceSeconds ?? 30,
    logger,
  });
  const tokenRoute = tokenEndpointRoute({
    clients: settings.clients,
    issuer: {
      issue: (clientId, scopes) => {
        const { token, expiresIn } = signer.sign({ subject: clientId, scopes });
        return { accessToken: token, expiresIn };
      },
    },
    logger,
  });
  return { verifier, tokenRoute, jwks: () => settings.keyring.jwks(), close: () => verifier.close() };
}

/**
 * The auth settings from the config: keys from PEM files (or one generated
 * now), clients from their file (or, in development only, the demo clients).
 */
export async function gatewayAuthSettingsFrom(config: Config, logger: Logger): Promise<GatewayAuthSettings> {
  const { auth } = config;
  let keyring: Keyring;
  if (auth.signingKeyFile) {
    const retired = await Promise.all(auth.retiredKeyFiles.map((file) => readFile(file, 'utf8')));
    keyring = Keyring.fromPem(await readFile(auth.signingKeyFile, 'utf8'), retired);
  } else {
    keyring = await Keyring.generate();
    if (config.env === 'production') logger.warn('no AUTH_SIGNING_KEY_FILE: tokens are signed with a key generated at start, so they neither survive a restart nor verify on another replica');
  }
  // The demo clients' secrets are public (README): only a development gateway on the loopback interface knows them.
  const demo = config.env !== 'production' && isLoopback(config.host);
  if (!auth.clientsFile && !demo) logger.warn({ env: config.env, host: config.host }, 'no AUTH_CLIENTS_FILE: no OAuth client can get a token (the demo clients are for development on 127.0.0.1 only)');
  const clients = auth.clientsFile ? await clientRegistryFromFile(auth.clientsFile) : new ClientRegistry(demo ? await demoClients() : []);
  for (const external of auth.externalIssuers) {
    // Keys fetched over plain HTTP could be swapped by anyone on the way.
    if (config.env === 'production' && !external.jwksUri.startsWith('https:')) throw new Error(`AUTH_EXTERNAL_ISSUERS: ${external.issuer}'s jwksUri must be https in production`);
  }
  return {
    issuer: auth.issuer,
    audience: auth.audience,
    tokenTtlSeconds: auth.tokenTtlSeconds,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    keyring,
    clients,
    externalIssuers: auth.externalIssuers,
  };
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host.startsWith('127.');

/** Development defaults for a gateway started without settings (tests, tools): a fresh key and the demo clients. */
export async function developmentAuthSettings(): Promise<GatewayAuthSettings> {
  return { issuer: 'commerce-graph', audience: 'commerce-graph-api', keyring: await Keyring.generate(), clients: new ClientRegistry(await demoClients()) };
}
