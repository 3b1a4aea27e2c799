import { describe, expect, it } from 'vitest';
import { dearestCost, hashClientSecret, isClientSecretHash, verifyClientSecret } from './client-secret.js';

describe('client secrets', () => {
  it('hashes in the documented format and verifies only the right secret', async () => {
    const encoded = await hashClientSecret('s3cret');
    expect(encoded).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/);
    const [, , , , salt, hash] = encoded.split('$');
    expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64')).toHaveLength(32);
    expect(isClientSecretHash(encoded)).toBe(true);
    expect(await verifyClientSecret('s3cret', encoded)).toBe(true);
    expect(await verifyClientSecret('s3cret ', encoded)).toBe(false);
    expect(await verifyClientSecret('', encoded)).toBe(false);
  });

  it('salts: the same secret hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashClientSecret('x'), hashClientSecret('x')]);
    expect(a).not.toBe(b);
    expect(await verifyClientSecret('x', b)).toBe(true);
  });

  it('is false, not a throw, for malformed hashes', async () => {
    const good = await hashClientSecret('x');
    const [, n, r, p, salt, hash] = good.split('$');
    const malformed = [
      '',
      'x',
      'plain-secret',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${1 << 24}$${r}$${p}$${salt}$${hash}`, // N beyond the bound
      `scrypt$0$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$-8$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$not*base64$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}$AAAA`, // key too short
    ];
    for (const encoded of malformed) {
      expect(isClientSecretHash(encoded), encoded).toBe(false);
      await expect(verifyClientSecret('x', encoded), encoded).resolves.toBe(false);
    }
  });

  it('verifies hashes with other (valid) parameters, so costs can change later', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('x', salt, 32, { N: 1024, r: 4, p: 2 });
    const encoded = `scrypt$1024$4$2$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyClientSecret('x', encoded)).toBe(true);
    expect(await verifyClientSecret('y', encoded)).toBe(false);
  });

  it('finds the dearest cost among stored hashes, for the dummy check of unknown client ids', async () => {
    const dear = await hashClientSecret('x', { N: 32_768, r: 8, p: 1 });
    expect(dear.split('$').slice(1, 4)).toEqual(['32768', '8', '1']);
    expect(dearestCost([await hashClientSecret('y'), dear, 'not a hash'])).toEqual({ N: 32_768, r: 8, p: 1 });
    expect(dearestCost([])).toEqual({ N: 16_384, r: 8, p: 1 });
  });
});
