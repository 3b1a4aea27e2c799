import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The UMD builds are not in the packages' `exports`, so resolve each package's folder.
const inPackage = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

/** GraphiQL and React come from node_modules, not a CDN: the page works offline. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: inPackage('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { file: inPackage('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { file: inPackage('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: inPackage('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

const EXAMPLE = `# The storefront's product list with live stock, from two subgraphs in one request.
query StorefrontProducts {
  products(first: 5) {
    totalCount
    edges { node { sku name price { amount currencyCode } stock { available inStock } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>commerce-graph</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.css" />
  <script src="${GRAPHIQL_ASSET_PREFIX}react.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}react-dom.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}graphiql.js"></script>
</head>
<body>
  <div id="graphiql">Loading…</div>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)} }),
    );
  </script>
</body>
</html>`;

/** A browser asking for a page (not a GraphQL client asking for JSON). */
export function wantsGraphiQL(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return req.method === 'GET' && !url.includes('query=') && (req.headers.accept ?? '').includes('text/html');
}

export function serveGraphiQL(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
  res.end(page);
}

export async function serveGraphiQLAsset(name: string, res: ServerResponse): Promise<boolean> {
  const asset = ASSETS[name];
  if (!asset) return false;
  const body = await readFile(asset.file);
  res.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, 'content-length': body.length, 'cache-control': 'public, max-age=86400' });
  res.end(body);
  return true;
}
