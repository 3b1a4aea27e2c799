/** Opaque cursors: base64url of a small JSON object, so clients cannot depend on their content. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The decoded cursor, or undefined when it is not one of ours. */
export function decodeCursor<T extends Record<string, unknown>>(cursor: string): T | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
