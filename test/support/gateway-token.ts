import { DEMO_CLIENTS, type DemoClientId } from '../../lib/auth/client-registry.js';

const issued = new Map<string, Promise<string>>();

/**
 * An access token for a demo client, issued by the gateway's own
 * `/oauth/token` (client_credentials) as any client would get it. One token
 * per gateway, client and scope is reused: they live 15 minutes.
 */
export function demoToken(gatewayUrl: string, clientId: DemoClientId, scope?: string): Promise<string> {
  const origin = new URL(gatewayUrl).origin;
  const key = `${origin}|${clientId}|${scope ?? ''}`;
  let token = issued.get(key);
  if (!token) {
    const client = DEMO_CLIENTS.find((c) => c.id === clientId) as (typeof DEMO_CLIENTS)[number];
    token = (async () => {
      const res = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret, ...(scope ? { scope } : {}) }),
      });
      if (!res.ok) throw new Error(`/oauth/token refused ${clientId}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    })();
    token.catch(() => issued.delete(key));
    issued.set(key, token);
  }
  return token;
}

/** `Bearer <token>` for a demo client (see `demoToken`). */
export async function demoBearer(gatewayUrl: string, clientId: DemoClientId, scope?: string): Promise<string> {
  return `Bearer ${await demoToken(gatewayUrl, clientId, scope)}`;
}

/** Request headers that call as a demo client: `graphql(url, query, variables, await as(url, 'ops-console'))`. */
export async function asClient(gatewayUrl: string, clientId: DemoClientId, scope?: string): Promise<{ authorization: string }> {
  return { authorization: await demoBearer(gatewayUrl, clientId, scope) };
}
