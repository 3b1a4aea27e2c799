import type { Agent } from 'node:http';
import type { UpstreamClient } from '../../../lib/http/upstream-client.js';

/** Ends the keep-alive sockets of an upstream client, so a closed subgraph leaves nothing open. */
export function closeUpstreamClient(client: UpstreamClient): void {
  for (const agent of [client.http.defaults.httpAgent, client.http.defaults.httpsAgent] as Array<Agent | undefined>) agent?.destroy();
}
