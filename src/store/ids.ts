import { randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so an id read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i % bytes.length] & 31];
  return out;
}

/** An investigation id people type: NC- and six characters (about a billion values; collisions retried). */
export function newInvestigationId(): string {
  return `NC-${base32(randomBytes(6), 6)}`;
}

/** Investigation ids are typed by people: accept lower case and the look-alike letters. */
export function normalizeInvestigationId(text: string): string {
  return text.trim().toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0').replace(/^NC(?!-)/, 'NC-');
}

/** A row id that sorts by creation time: 10 characters of milliseconds, then 10 random ones. */
export function newRowId(now: Date): string {
  let t = now.getTime();
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + base32(randomBytes(10), 10);
}
