import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost parameters. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** scrypt cost parameters of new hashes: N=2^14, r=8, p=1 (16 MiB, some tens of ms per check). */
const COST: ScryptCost = { N: 16_384, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Bounds on what a stored hash may ask for: a hand-edited config must not make every login take seconds or gigabytes. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

interface ParsedHash extends ScryptCost {
  salt: Buffer;
  hash: Buffer;
}

const derive = (secret: string, salt: Buffer, keyBytes: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(secret, salt, keyBytes, options, (err, key) => (err ? reject(err) : resolve(key))));

/** Room for N and r: scrypt needs 128·N·r bytes and refuses anything over `maxmem`. */
const maxmem = (N: number, r: number) => 256 * N * r;

/**
 * Hashes a client secret for the clients file: `scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>`.
 * The parameters travel with the hash so that raising them later leaves old hashes valid.
 */
export async function hashClientSecret(secret: string, cost: ScryptCost = COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt, KEY_BYTES, { ...cost, maxmem: maxmem(cost.N, cost.r) });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** The cost of checking a secret against the dearest of these hashes (the default cost when there are none). */
export function dearestCost(encoded: readonly string[]): ScryptCost {
  const costs = encoded.map(parseHash).filter((c): c is ParsedHash => c !== undefined);
  const work = (c: ScryptCost) => c.N * c.r * c.p;
  const dearest = costs.reduce<ScryptCost>((max, c) => (work(c) > work(max) ? c : max), COST);
  return { N: dearest.N, r: dearest.r, p: dearest.p };
}

/** True when `encoded` is a hash `verifyClientSecret` can check (the format `hashClientSecret` writes, within sane cost bounds). */
export function isClientSecretHash(encoded: string): boolean {
  return parseHash(encoded) !== undefined;
}

/** Whether `secret` matches `encoded`; false (never a throw) for a malformed hash. Constant-time in the comparison. */
export async function verifyClientSecret(secret: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  let derived: Buffer;
  try {
    derived = await derive(secret, salt, hash.length, { N, r, p, maxmem: maxmem(N, r) });
  } catch {
    return false;
  }
  return timingSafeEqual(derived, hash);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const INTEGER = /^[1-9][0-9]{0,7}$/;

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (!INTEGER.test(n) || !INTEGER.test(r) || !INTEGER.test(p) || !BASE64.test(salt) || !BASE64.test(hash)) return undefined;
  const parsed = { N: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  // scrypt wants N a power of two above 1; a key under 16 bytes would be too easy to collide.
  if (parsed.N < 2 || parsed.N > MAX_N || (parsed.N & (parsed.N - 1)) !== 0) return undefined;
  if (parsed.r > MAX_R || parsed.p > MAX_P || parsed.salt.length < 8 || parsed.hash.length < 16 || parsed.hash.length > 64) return undefined;
  return parsed;
}
