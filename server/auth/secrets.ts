/**
 * Passwords (scrypt, server only), opaque bearer tokens (random, stored as SHA-256 so a database
 * leak does not leak usable tokens), and PIN hashes via the shared PBKDF2 helper.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hashPin, PIN_HASH_ITERATIONS } from '../../shared/pin-hash';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
const SCRYPT_KEY_BYTES = 32;

/** `scrypt$<salt hex>$<key hex>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT_KEY_BYTES);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !keyHex) return false;
  const expected = Buffer.from(keyHex, 'hex');
  const actual = await scrypt(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(actual, expected);
}

export const SESSION_TOKEN_PREFIX = 'ses_';
export const DEVICE_TOKEN_PREFIX = 'dev_';

export function newToken(prefix: typeof SESSION_TOKEN_PREFIX | typeof DEVICE_TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function newPinHash(pin: string): Promise<{ salt: string; iterations: number; hash: string }> {
  const salt = randomBytes(16).toString('hex');
  return { salt, iterations: PIN_HASH_ITERATIONS, hash: await hashPin(pin, salt) };
}
