import { z } from 'zod';
import { envSchema } from './config.js';

interface OptionDoc {
  name: string;
  defaultValue: string;
  description: string;
}

/** Walks through optional/default/effects wrappers to find the default and description. */
function describe(schema: z.ZodTypeAny): { defaultValue?: unknown; description?: string } {
  let node: z.ZodTypeAny | undefined = schema;
  let description = schema.description;
  let defaultValue: unknown;
  while (node) {
    description ??= node.description;
    if (node instanceof z.ZodDefault) defaultValue ??= node._def.defaultValue();
    node = (node._def as { innerType?: z.ZodTypeAny; schema?: z.ZodTypeAny; in?: z.ZodTypeAny }).innerType ??
      (node._def as { schema?: z.ZodTypeAny }).schema ??
      (node._def as { in?: z.ZodTypeAny }).in;
  }
  return { defaultValue, description };
}

/** Every documented option: per-system overrides without a description are folded into their parent's text. */
export function configOptions(): OptionDoc[] {
  return Object.entries(envSchema.shape).flatMap(([name, schema]) => {
    const { defaultValue, description } = describe(schema as z.ZodTypeAny);
    if (!description) return [];
    return [{ name, description, defaultValue: defaultValue === undefined || defaultValue === '' ? '(unset)' : String(defaultValue) }];
  });
}

/** The Configuration table README.md shows. */
export function configTable(): string {
  const rows = configOptions().map((o) => `| \`${o.name}\` | \`${o.defaultValue}\` | ${o.description} |`);
  return ['| variable | default | what it sets |', '| --- | --- | --- |', ...rows].join('\n');
}
