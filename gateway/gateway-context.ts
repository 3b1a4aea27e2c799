import type { BaseContext } from '../lib/graphql/graphql-http-handler.js';

/** What the gateway knows about one request; later the verified caller rides here too. */
export type GatewayContext = BaseContext;
