import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { z } from 'zod';
import { SHA256_HEX, sha256Hex } from '../http/hmac.js';


/**
 * Apollo's persisted query manifest (what `@apollo/generate-persisted-query-manifest`
 * writes and GraphOS accepts): each registered operation by the SHA-256 of its body.
 */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(SHA256_HEX, 'a lowercase hex SHA-256'),
      name: z.string(),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

export type TrustedDocumentManifest = z.infer<typeof manifestSchema>;
type TrustedDocument = TrustedDocumentManifest['operations'][number];

/** The manifest in `json`, checked: its shape, every id the SHA-256 of its body, no id twice. Throws naming `source` and the problem. */
export function parseTrustedDocumentManifest(json: unknown, source: string): TrustedDocumentManifest {
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source} is not a persisted query manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const seen = new Set<string>();
  for (const operation of parsed.data.operations) {
    // A wrong id would let a client name one document and run another.
    if (sha256Hex(operation.body) !== operation.id) throw new Error(`${source}: operation ${operation.name}'s id is not the SHA-256 of its body`);
    if (seen.has(operation.id)) throw new Error(`${source}: id ${operation.id} is listed twice`);
    seen.add(operation.id);
  }
  return parsed.data;
}

/** Reads and checks a manifest file (`TRUSTED_DOCUMENTS_FILE`). */
export async function readTrustedDocumentManifest(path: string): Promise<TrustedDocumentManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw new Error(`TRUSTED_DOCUMENTS_FILE ${path} cannot be read as JSON: ${(err as Error).message}`);
  }
  return parseTrustedDocumentManifest(json, path);
}

/**
 * The manifest of GraphQL sources (clients/operations): one entry per
 * operation, its body the printed operation and the fragments it spreads, in
 * name order so the file only changes when an operation does.
 */
export function trustedDocumentManifestFrom(sources: readonly string[]): TrustedDocumentManifest {
  const definitions = sources.flatMap((source) => parse(source).definitions);
  const fragments = new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const operations = definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const entries = operations.map((operation): TrustedDocument => {
    if (!operation.name) throw new Error('Every trusted operation needs a name.');
    const body = print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragmentsOf(operation, fragments)] });
    return { id: sha256Hex(body), name: operation.name.value, type: operation.operation, body };
  });
  entries.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations: entries };
}

/** The manifest of every `*.graphql` file in `directory` (clients/operations). */
export async function trustedDocumentManifestOfDirectory(directory: string): Promise<TrustedDocumentManifest> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.graphql')).sort();
  const sources = await Promise.all(files.map((f) => readFile(join(directory, f), 'utf8')));
  return trustedDocumentManifestFrom(sources);
}

/** A manifest as the checked-in file holds it. */
export const manifestText = (manifest: TrustedDocumentManifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** The fragments `definition` spreads, transitively, each once, in the order first reached. */
function fragmentsOf(definition: DefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`Fragment ${name} is not defined in the operations.`);
        if (found.has(name)) return;
        found.set(name, fragment);
        walk(fragment);
      },
    });
  walk(definition);
  return [...found.values()];
}
