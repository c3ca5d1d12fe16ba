/**
 * PIN hashes that a tablet can check offline. PBKDF2-SHA256 because WebCrypto has it in every
 * browser (scrypt/argon2 do not); passwords, which are checked only on the server, use scrypt.
 * A 4–6 digit PIN is weak whatever the hash: it unlocks a paired tablet, never the back office.
 */
export const PIN_HASH_ITERATIONS = 60_000;

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function hashPin(pin: string, saltHex: string, iterations = PIN_HASH_ITERATIONS): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const salt = new Uint8Array(saltHex.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
  const bits = await globalThis.crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return hex(bits);
}

export async function verifyPin(pin: string, stored: { salt: string; iterations: number; hash: string }): Promise<boolean> {
  const candidate = await hashPin(pin, stored.salt, stored.iterations);
  // Constant-time-ish compare; the attacker here has the hash anyway (it is cached on tablets).
  let diff = candidate.length ^ stored.hash.length;
  for (let i = 0; i < candidate.length; i++) diff |= candidate.charCodeAt(i) ^ (stored.hash.charCodeAt(i) || 0);
  return diff === 0;
}

export function isPinFormat(pin: string): boolean {
  return /^\d{4,6}$/.test(pin);
}
