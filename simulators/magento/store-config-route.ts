import type { SimRequest, SimRoute } from '../common/simulator-server.js';
import type { Dataset } from '../data/dataset.js';

/** A Host header we may echo into URLs: a name or address and an optional port, nothing else. */
const SAFE_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

/**
 * `GET /rest/V1/store/storeConfigs`. The base URLs are where the caller
 * reached this server (its Host header), unless a public URL was configured,
 * so image URLs work from wherever the simulator runs.
 */
export function storeConfigRoute(dataset: Dataset, ownUrl: () => string, publicUrl?: string): SimRoute {
  const baseUrlOf = (req: SimRequest): string => {
    if (publicUrl) return publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
    const host = req.headers.host;
    return host && SAFE_HOST.test(host) ? `http://${host}/` : `${ownUrl()}/`;
  };
  return {
    method: 'GET',
    pattern: '/rest/V1/store/storeConfigs',
    handler: (req) => {
      const base = baseUrlOf(req);
      return {
        status: 200,
        body: [
          {
            id: 1,
            code: 'default',
            website_id: 1,
            locale: 'en_US',
            base_currency_code: dataset.currency,
            default_display_currency_code: dataset.currency,
            timezone: 'UTC',
            weight_unit: 'lbs',
            base_url: base,
            base_link_url: base,
            base_static_url: `${base}static/`,
            base_media_url: `${base}media/`,
            secure_base_url: base,
            secure_base_link_url: base,
            secure_base_static_url: `${base}static/`,
            secure_base_media_url: `${base}media/`,
          },
        ],
      };
    },
  };
}
