import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it('round-trip and refuse what is not ours', () => {
    expect(decodeCursor(encodeCursor({ id: 42, pos: 3 }))).toEqual({ id: 42, pos: 3 });
    expect(decodeCursor('not a cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeUndefined();
  });
});
